extension Array where Element: Comparable {
    /// The positions of the elements, largest first; equal elements keep position order (ties
    /// go to the lower index), so every ranking in Lapis is the same on every run and CPU.
    ///
    /// Sorts (value, position) pairs side by side rather than positions that look their values
    /// up: the comparisons, and so the order, are the same, but the lookups made the threshold
    /// cross-validation's sort of pooled scores about a third of `lapis train`'s serial tail on
    /// Reuters.
    ///
    /// - Complexity: O(*n* log *n*).
    package func indicesByDescendingValue() -> [Int] {
        var pairs = enumerated().map { (value: $0.element, position: $0.offset) }
        pairs.sort { $0.value != $1.value ? $0.value > $1.value : $0.position < $1.position }
        return pairs.map(\.position)
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

