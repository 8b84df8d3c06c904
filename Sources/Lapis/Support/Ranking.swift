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

extension Array where Element == Double {
    /// ``indicesByDescendingValue()`` for doubles, the same order, sorting (value, position)
    /// pairs side by side instead of positions that look their values up: about a third of
    /// `lapis train`'s serial tail on Reuters was that lookup-heavy sort of the threshold
    /// cross-validation's pooled scores.
    ///
    /// The comparison is the one ``indicesByDescendingValue()`` makes, a strict total order on
    /// (value, position) when no value is NaN (−0 and +0 compare equal and fall to the position),
    /// so any sort gives that one order. With a NaN, the generic version's order is used.
    ///
    /// - Complexity: O(*n* log *n*).
    package func indicesByDescendingValueSortingPairs() -> [Int] {
        guard !contains(where: \.isNaN) else { return indicesByDescendingValue() }
        var pairs = enumerated().map { (value: $0.element, position: $0.offset) }
        pairs.sort { $0.value != $1.value ? $0.value > $1.value : $0.position < $1.position }
        return pairs.map(\.position)
    }
}
