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

    /// The seed of run `run` of a repeated cross-validation: run 0 uses `seed` itself (so one run
    /// is plain k-fold with that seed), later runs a seed derived from it by SplitMix64's mixing
    /// step, so the runs' fold assignments are unrelated but reproducible.
    public static func repeatSeed(_ seed: UInt64, run: Int) -> UInt64 {
        guard run > 0 else { return seed }
        var z = seed &+ UInt64(run) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The (training rows, test rows) pairs of a k-fold split.
    public static func splits(count: Int, folds: Int, seed: UInt64) -> [(train: [Int], test: [Int])] {
        let assignment = foldAssignment(count: count, folds: folds, seed: seed)
        return (0..<folds).map { fold in
            (assignment.indices.filter { assignment[$0] != fold }, assignment.indices.filter { assignment[$0] == fold })
        }
    }
}
