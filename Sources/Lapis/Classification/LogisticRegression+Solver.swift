extension LogisticRegression {
    /// How a ``LogisticRegression`` is fitted.
    public enum Solver: String, Sendable, Codable, CaseIterable {
        /// L-BFGS on the primal problem, with an unregularised bias (scikit-learn's `lbfgs`).
        /// ``LogisticRegression/tolerance`` bounds the gradient's norm relative to max(1, ‖w‖),
        /// and ``LogisticRegression/maxIterations`` counts optimiser iterations.
        case lbfgs
        /// Dual coordinate descent (Yu, Huang & Lin 2011; LIBLINEAR's `-s 7`) with the bias a
        /// regularised weight on a constant feature 1 (LIBLINEAR's `-B 1`): one Newton-solved
        /// dual variable per story at a time, eight labels in step, in a seeded order per epoch.
        /// ``LogisticRegression/tolerance`` bounds the largest dual gradient of an epoch
        /// (LIBLINEAR's `-e`, default 0.1), and ``LogisticRegression/maxIterations`` counts epochs
        /// (passes over the stories). A ``OneVsRestClassifier`` fits its threshold fold models
        /// with L-BFGS from these fits' weights all the same (see
        /// ``OneVsRestClassifier/foldIterations``).
        case dualCoordinateDescent = "dual-cd"

        /// The tolerance a fit uses when none is given: scikit-learn's for L-BFGS (1e-4, relative),
        /// LIBLINEAR's for the dual (0.1, absolute).
        public var defaultTolerance: Double {
            switch self {
            case .lbfgs: return 1e-4
            case .dualCoordinateDescent: return 0.1
            }
        }
    }
}
