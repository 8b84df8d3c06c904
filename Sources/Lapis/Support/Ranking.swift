extension Array where Element: Comparable {
    /// The positions of the elements, largest first; equal elements keep position order (ties
    /// go to the lower index), so every ranking in Lapis is the same on every run and CPU.
    ///
    /// - Complexity: O(*n* log *n*).
    package func indicesByDescendingValue() -> [Int] {
        indices.sorted { self[$0] != self[$1] ? self[$0] > self[$1] : $0 < $1 }
    }

    /// The position of the largest element, the lowest such position on ties; nil when empty.
    ///
    /// - Complexity: O(*n*).
    package func indexOfLargest() -> Int? {
        guard var best = indices.first else { return nil }
        for index in indices.dropFirst() where self[index] > self[best] { best = index }
        return best
    }
}
