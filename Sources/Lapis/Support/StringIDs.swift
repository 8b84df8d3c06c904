/// Numbers strings in order of first appearance: the first distinct string gets id 0, the next
/// new one 1, and so on. Term, word and label tables use it, so an id is also a position in
/// ``strings``.
struct StringIDs {
    /// Every string met, by id.
    private(set) var strings: [String] = []
    private var idByString: [String: Int32] = [:]

    /// The id of `string`, a new one (the next number) when it is met for the first time.
    ///
    /// - Complexity: O(length of `string`) expected.
    mutating func id(of string: String) -> Int32 {
        if let known = idByString[string] { return known }
        let id = Int32(strings.count)
        strings.append(string)
        idByString[string] = id
        return id
    }
}
