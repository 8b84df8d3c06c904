extension OneVsRestClassifier {
    /// Every label's model by ``LogisticRegression/Solver/dualCoordinateDescent``, indexed by
    /// label: the labels of `order` (most positives first) dealt in turn to one block per
    /// thread, so every block gets large and small labels alike, and each block fitted in
    /// lockstep on one thread. Blocks get fewer lanes when the rows are many (see
    /// ``dualLanesPerBlock(rowCount:)``), so a block's dual variables stay bounded; they live
    /// only while the block runs. `counter` advances once per label. `lanesPerBlock` overrides
    /// the block size (tests): it decides which fits share a pass, never a fit's bits.
    func dualCoordinateDescentFits(_ features: SparseMatrix, targets: LabelTargets, order: [Int], counter: ProgressCounter? = nil,
                                   lanesPerBlock: Int? = nil) -> [LogisticRegression.Model] {
        let labelCount = order.count
        let perBlock = max(1, lanesPerBlock ?? Self.dualLanesPerBlock(rowCount: features.rowCount))
        let blockCount = min(labelCount, max(Parallel.workerCount, (labelCount + perBlock - 1) / perBlock))
        let blocks = (0..<blockCount).map { block in stride(from: block, to: labelCount, by: blockCount).map { order[$0] } }
        let curvatures = DualCoordinateDescentFits.curvatures(features)
        let allRows = (0..<features.rowCount).map { Int32(truncatingIfNeeded: $0) }
        let results = UnsafeMutableBufferPointer<[LogisticRegression.Model]>.allocate(capacity: blocks.count)
        results.initialize(repeating: [])
        defer { results.deinitialize(); results.deallocate() }
        let box = UncheckedSendable(results)
        // One block per iteration, each to whichever thread is free.
        Parallel.forEach(blocks.count) { blockIndex in
            let block = blocks[blockIndex]
            var fits = DualCoordinateDescentFits(logistic, features: features, curvatures: curvatures, rows: allRows,
                                                 targets: block.map { targets.targets($0) })
            fits.solve(tolerance: logistic.tolerance, maxEpochs: logistic.maxIterations, seed: seed)
            box.value[blockIndex] = fits.models()
            counter?.advance(by: block.count)
        }
        var models = [LogisticRegression.Model?](repeating: nil, count: targets.labelCount)
        for (blockIndex, block) in blocks.enumerated() {
            for (lane, label) in block.enumerated() { models[label] = results[blockIndex][lane] }
        }
        return models.map { $0! }
    }

    /// The most lanes a block of dual fits has for `rowCount` rows: its dual variables take 16
    /// bytes a row and lane, kept to about 64 MiB (eight lanes at least).
    static func dualLanesPerBlock(rowCount: Int) -> Int {
        let width = DualCoordinateDescentFits.vectorWidth
        return max(width, (64 << 20) / (16 * max(1, rowCount)) / width * width)
    }
}
