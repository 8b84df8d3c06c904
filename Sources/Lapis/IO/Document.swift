/// One news story as read from a file.
public struct Document: Sendable, Equatable {
    /// An identifier: the record's id field, else the file name or `file:line`.
    public var id: String
    /// The headline, if any.
    public var title: String?
    /// The body text.
    public var text: String
    /// The topics, when the data is labelled.
    public var labels: [String]?
    /// Other string fields requested by name (e.g. a reference summary); a list of strings
    /// is joined with line breaks.
    public var extraFields: [String: String]
    /// Requested fields that hold a list of integers (e.g. indices of summary sentences).
    public var indexFields: [String: [Int]] = [:]
    /// Where the record came from: file path and line (1-based) of its start.
    public var source: (path: String, line: Int)

    /// Creates a document.
    public init(id: String, title: String? = nil, text: String, labels: [String]? = nil,
                extraFields: [String: String] = [:], source: (path: String, line: Int) = ("", 0)) {
        self.id = id
        self.title = title
        self.text = text
        self.labels = labels
        self.extraFields = extraFields
        self.source = source
    }

    /// Title and text as one string (the title first, on its own line).
    public var fullText: String {
        guard let title, !title.isEmpty else { return text }
        return title + "\n" + text
    }

    public static func == (lhs: Document, rhs: Document) -> Bool {
        lhs.id == rhs.id && lhs.title == rhs.title && lhs.text == rhs.text && lhs.labels == rhs.labels
            && lhs.extraFields == rhs.extraFields && lhs.indexFields == rhs.indexFields && lhs.source.path == rhs.source.path && lhs.source.line == rhs.source.line
    }
}

/// Which record fields hold what.
///
/// As stored in a model (``TopicClassifier/Provenance/fields``): `{"id", "title", "text",
/// "labels"}`; ``extra`` and ``requiresText`` describe one reading, not the data, and are not stored.
public struct FieldNames: Sendable, Equatable, Codable {
    /// The identifier field.
    public var id: String
    /// The headline field (optional in records).
    public var title: String
    /// The body field (required).
    public var text: String
    /// The labels field; `nil` when labels are not read.
    public var labels: String?
    /// Further string fields to read (required in every record).
    public var extra: [String] = []
    /// Whether every record must have the text field (false when only other fields are scored).
    public var requiresText = true

    enum CodingKeys: String, CodingKey {
        case id, title, text, labels
    }

    /// Creates a field mapping.
    public init(id: String = "id", title: String = "title", text: String = "text", labels: String? = nil, extra: [String] = []) {
        self.id = id
        self.title = title
        self.text = text
        self.labels = labels
        self.extra = extra
    }
}
