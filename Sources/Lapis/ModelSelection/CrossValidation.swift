/// k-fold cross-validation helpers.
public enum CrossValidation {
    /// Assigns each of `count` items to one of `folds` folds: a seeded shuffle, then round-robin,
    /// so fold sizes differ by at most one and the assignment is reproducible.
    public static func foldAssignment(count: Int, folds: Int, seed: UInt64) -> [Int] {
        precondition(folds >= 1)
        var order = Array(0..<count)
        var generator = SeededGenerator(seed: seed)
        order.shuffle(using: &generator)
        var assignment = [Int](repeating: 0, count: count)
        for (position, item) in order.enumerated() { assignment[item] = position % folds }
        return assignment
    }

    /// The (training rows, test rows) pairs of a k-fold split.
    public static func splits(count: Int, folds: Int, seed: UInt64) -> [(train: [Int], test: [Int])] {
        let assignment = foldAssignment(count: count, folds: folds, seed: seed)
        return (0..<folds).map { fold in
            (assignment.indices.filter { assignment[$0] != fold }, assignment.indices.filter { assignment[$0] == fold })
        }
    }
}
