import Foundation

/// Unicode normalisation and case folding applied before tokenisation.
///
/// Text is brought to Unicode NFKC (so that ligatures, full-width forms and
/// compatibility characters compare equal to their plain forms), typographic
/// apostrophes and dashes are mapped to ASCII, and letters are lower-cased.
public struct TextNormalizer: Sendable {
    /// Whether letters are lower-cased.
    public var foldsCase: Bool

    /// Creates a normalizer.
    /// - Parameter foldsCase: Lower-case the text (the default).
    public init(foldsCase: Bool = true) {
        self.foldsCase = foldsCase
    }

    /// Returns the normalised form of `text`.
    public func normalize(_ text: String) -> String {
        var text = text
        // Pure ASCII needs neither NFKC nor punctuation mapping: skip the expensive pass. Tested
        // on the contiguous bytes: String.UTF8View's iterator cost as much as lower-casing.
        if text.withUTF8({ $0.allSatisfy { $0 < 0x80 } }) {
            return foldsCase ? text.lowercased() : text
        }
        var result = text.precomposedStringWithCompatibilityMapping
        if result.unicodeScalars.contains(where: { Self.asciiEquivalents[$0] != nil }) {
            var scalars = String.UnicodeScalarView()
            for scalar in result.unicodeScalars {
                scalars.append(Self.asciiEquivalents[scalar] ?? scalar)
            }
            result = String(scalars)
        }
        return foldsCase ? result.lowercased() : result
    }

    /// Typographic marks that carry the same meaning as an ASCII character for tokenisation.
    static let asciiEquivalents: [Unicode.Scalar: Unicode.Scalar] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{02BC}": "'", "\u{2032}": "'",
        "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{00AB}": "\"", "\u{00BB}": "\"",
        "\u{2010}": "-", "\u{2011}": "-", "\u{2012}": "-", "\u{2013}": "-", "\u{2014}": "-",
        "\u{2212}": "-", "\u{00A0}": " ", "\u{2009}": " ", "\u{202F}": " ",
    ]
}
