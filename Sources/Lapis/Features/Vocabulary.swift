import Foundation

/// The terms a vectorizer knows, each with a fixed column index.
///
/// Terms are stored in lexicographic (byte) order, so that the column of every term is the
/// same whatever the order of the training documents.
public struct Vocabulary: Sendable, Equatable {
    /// The terms, in column order.
    public let terms: [String]
    /// Each term's column, built on the first lookup: a model with n-grams looks its columns
    /// up by word ids (``NgramColumnIndex``), so loading it need not hash every term.
    private let indexByTerm: Locked<[String: Int]?>

    /// Creates a vocabulary from terms, which are sorted and de-duplicated.
    public init<S: Sequence>(_ terms: S) where S.Element == String {
        var sorted = Array(terms)
        // A model file stores its terms already in order: check that in one pass instead of sorting.
        if !zip(sorted, sorted.dropFirst()).allSatisfy({ Self.utf8Precedes($0, $1) }) {
            sorted = Array(Set(sorted)).sorted(by: Self.utf8Precedes)
        }
        self.terms = sorted
        self.indexByTerm = Locked(nil)
    }

    /// Whether `a` comes strictly before `b` in byte (UTF-8) order: `memcmp` on the strings'
    /// contiguous UTF-8, where the generic `utf8.lexicographicallyPrecedes` took a sixth of
    /// a large model's load time.
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }

    /// Number of terms.
    public var count: Int { terms.count }

    /// The column of `term`, or `nil` when the term is unknown.
    public func index(of term: String) -> Int? {
        let index = indexByTerm.withLock { built -> [String: Int] in
            if let built { return built }
            var index: [String: Int] = [:]
            index.reserveCapacity(terms.count)
            for (position, term) in terms.enumerated() { index[term] = position }
            built = index
            return index
        }
        return index[term]
    }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool { lhs.terms == rhs.terms }
}

/// How to choose the vocabulary from the training documents.
public struct VocabularyOptions: Sendable, Codable, Equatable {
    /// Minimum number of training documents a term must occur in.
    public var minDocumentCount: Int
    /// Maximum fraction of training documents a term may occur in (terms above are dropped).
    public var maxDocumentFraction: Double
    /// Keep at most this many terms, the most frequent across the corpus (ties: lexicographic).
    public var maxTerms: Int?

    /// Creates vocabulary options.
    public init(minDocumentCount: Int = 2, maxDocumentFraction: Double = 1.0, maxTerms: Int? = nil) {
        self.minDocumentCount = minDocumentCount
        self.maxDocumentFraction = maxDocumentFraction
        self.maxTerms = maxTerms
    }

    enum CodingKeys: String, CodingKey {
        case minDocumentCount = "min_df", maxDocumentFraction = "max_df", maxTerms = "max_features"
    }
}
