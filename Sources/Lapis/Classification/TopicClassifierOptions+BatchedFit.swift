extension TopicClassifierOptions {
    /// Training on stories handed over in batches: each batch's terms are counted when it is
    /// added and the batch is then let go, so no more than one batch of text is held at a time
    /// (`lapis train` reads its files this way). ``finish(progress:)`` gives the classifier
    /// that ``TopicClassifierOptions/fit(_:labels:progress:)`` gives on all the stories in the
    /// order added, to the last bit, however they were cut into batches.
    ///
    /// ```swift
    /// var training = try TopicClassifierOptions().batchedFit()
    /// while let batch = try nextBatch() { try training.add(batch) }
    /// let classifier = try training.finish()
    /// ```
    public struct BatchedFit {
        let options: TopicClassifierOptions
        /// The labels given by the caller, or nil when they are the ones found in the data.
        let givenLabels: [String]?
        private var counts: TermCountBatches
        /// Each story's label names, as ids in order of first appearance (``labelIDs``); a name
        /// listed twice is one label (the sets made in ``finish(progress:)`` collapse it).
        private var labelStarts: [Int] = [0]
        private var storyLabels: [Int32] = []
        private var labelIDs = StringIDs()
        private var labelCounts: [String: Int] = [:]
        private var fingerprint = FNV1a64()
        private var storiesWithTitles = 0
        /// With labels found in the data, the first story's problem (no labels, or not exactly
        /// one label when single-label), raised by ``finish(progress:)`` after the checks of
        /// the label set as a whole: "no story carries a label" says more than the first
        /// story's missing field.
        private var deferredProblem: LapisError?
        /// Set once ``finish(progress:)`` has trained: the counts are gone by then.
        private var finished = false

        init(options: TopicClassifierOptions, labels: [String]?) throws {
            try options.validate()
            self.options = options
            givenLabels = labels
            counts = TermCountBatches(options: TfidfOptions(analyzer: options.analyzer, vocabulary: options.vocabulary,
                                                            sublinearTF: options.sublinearTF))
            if let labels {
                guard !labels.isEmpty else { throw LapisError.cannotTrain(reason: "no labels given") }
                try TopicClassifier.validateLabelNames(labels)
                for label in labels { _ = labelIDs.id(of: label) }
                labelCounts = Dictionary(uniqueKeysWithValues: labels.map { ($0, 0) })
            }
        }

        /// The stories added so far.
        public var storyCount: Int { labelStarts.count - 1 }

        /// Checks the stories' labels and counts their terms. The stories are consumed: a
        /// caller that passes its last reference (`add(consume batch)`, or a temporary) has
        /// their text freed on return.
        ///
        /// The whole batch is checked before any of it is taken, so a batch that throws leaves
        /// the training as it was: a caller may report it and go on with the next.
        ///
        /// - Throws: ``LapisError`` naming the file and line of a story without labels, with a
        ///   label outside the given ones, or (single-label) without exactly one label.
        public mutating func add(_ documents: consuming [Document]) throws {
            guard !finished else { throw Self.alreadyFinished }
            for position in documents.indices {
                guard let problem = problem(with: documents[position]) else { continue }
                if givenLabels != nil { throw problem }
                if deferredProblem == nil { deferredProblem = problem }
            }
            for position in documents.indices {
                let document = documents[position]
                fingerprint.combine(document.fullText)
                fingerprint.combine((document.labels ?? []).joined(separator: "\u{1F}"))
                if !(document.title ?? "").isEmpty { storiesWithTitles += 1 }
                for label in document.labels ?? [] {
                    labelCounts[label, default: 0] += 1
                    storyLabels.append(labelIDs.id(of: label))
                }
                labelStarts.append(storyLabels.count)
            }
            let titleRepeats = options.titleRepeats
            counts.add(consume documents) { TopicClassifier.featureText($0, titleRepeats: titleRepeats) }
        }

        /// Learns the vocabulary and fits the model on every story added. `progress` hears when
        /// the feature matrix is built and of every fitted logistic regression (see
        /// ``OneVsRestClassifier/fit(_:labelSets:labels:progress:)``).
        ///
        /// Mutating, not consuming: the counts are taken out of this value, so they are freed
        /// once the matrix is built even where the caller's variable lives on (a closure that
        /// added the batches captured it); a consuming call would have worked on a copy and
        /// left the caller's holding them through the fits. The training cannot be added to
        /// or finished again afterwards.
        ///
        /// - Throws: ``LapisError`` when no story was added, no story carries a label, a label
        ///   name is invalid, the first story's label problem (labels found in the data), or
        ///   the vocabulary is empty.
        public mutating func finish(progress: ProgressHandler? = nil) throws -> TopicClassifier {
            guard !finished else { throw Self.alreadyFinished }
            guard storyCount > 0 else { throw LapisError.cannotTrain(reason: "no training documents") }
            let labelList = givenLabels ?? labelIDs.strings.sorted()
            guard !labelList.isEmpty else {
                throw LapisError.cannotTrain(reason: "no document carries a label; check which field holds the labels")
            }
            try TopicClassifier.validateLabelNames(labelList)
            if let deferredProblem { throw deferredProblem }
            let index = Dictionary(uniqueKeysWithValues: labelList.enumerated().map { ($1, $0) })
            let positionOfID = labelIDs.strings.map { index[$0]! }
            let labelSets = (0..<storyCount).map { story in
                Set(storyLabels[labelStarts[story]..<labelStarts[story + 1]].map { positionOfID[Int($0)] })
            }
            finished = true
            let storyCount = storyCount
            storyLabels = []
            labelStarts = [0]
            var counted = TermCountBatches(options: counts.options)
            swap(&counted, &counts)
            let provenance = TopicClassifier.Provenance(documents: storyCount, labelCounts: labelCounts, dataFingerprint: fingerprint.hex,
                                                        documentsWithTitles: storiesWithTitles)
            progress?(ProgressUpdate(phase: "vectorising", completed: 0, total: nil))
            let (vectorizer, features) = counted.fitTransform()
            guard vectorizer.vocabulary.count > 0 else {
                throw LapisError.cannotTrain(reason: "the vocabulary is empty: lower the minimum document count or provide more text")
            }
            // An argmax model never reads its thresholds: no cross-validation to choose them.
            let trainer = OneVsRestClassifier(logistic: options.logistic, thresholdFolds: options.multiclass ? 0 : options.thresholdFolds,
                                              seed: options.seed, thresholdBeta: options.thresholdBeta,
                                              thresholdRepeats: options.thresholdRepeats, foldIterations: options.foldIterations)
            var model = trainer.fit(features, labelSets: consume labelSets, labels: labelList, progress: progress)
            model.singleLabel = options.multiclass
            return TopicClassifier(vectorizer: vectorizer, model: model, options: options, provenance: provenance)
        }

        /// A story's label problem: no labels, a label outside the given ones, or (single-label)
        /// not exactly one label.
        private func problem(with document: Document) -> LapisError? {
            guard let labels = document.labels else {
                return .missingField(path: document.source.path, line: document.source.line, field: "labels", available: [])
            }
            if let givenLabels {
                let unknown = labels.filter { labelCounts[$0] == nil }
                if !unknown.isEmpty {
                    return .unknownLabels(path: document.source.path, line: document.source.line, labels: unknown, known: givenLabels)
                }
            }
            if options.multiclass && Set(labels).count != 1 {
                return .malformedRecord(path: document.source.path, line: document.source.line,
                                        reason: "single-label (multiclass) training needs exactly one label per story; this one has \(Set(labels).count)")
            }
            return nil
        }

        static let alreadyFinished = LapisError.cannotTrain(reason: "this training has already finished; start another with batchedFit(labels:)")
    }

    /// Starts a training fed in batches (see ``BatchedFit``). Labels are those found in the
    /// data, or `labels` when given (then a story naming any other label is an error).
    ///
    /// - Throws: ``LapisError`` when an option is out of range or a given label name is invalid.
    public func batchedFit(labels: [String]? = nil) throws -> BatchedFit {
        try BatchedFit(options: self, labels: labels)
    }
}
