#!/usr/bin/env python3
"""Does fitting LIBLINEAR's dual problem instead of lapis's cost F1? (issue 19)

The dual coordinate descent of dual_cd_prototype.c solves LIBLINEAR's `-s 7 -B 1` problem: a
regularised bias and LIBLINEAR's stopping rule (dual gradient < 0.1). lapis's L-BFGS fits an
unregularised bias to a relative gradient tolerance of 1e-4, the problem scikit-learn's
LogisticRegression(solver="lbfgs") solves. This script isolates that change of model: on
seeded 80/20 splits of Reuters' *training* split (the test split is not read), scikit-learn's
TF-IDF, C=10 with "balanced" class weights, both fitted per label and scored on the 20% with the
labels whose decision value is > 0 (no threshold tuning, so only the fits differ):
  - lbfgs: LogisticRegression(solver="lbfgs", C=10, class_weight="balanced", tol=1e-4, max_iter=300)
  - dual:  LIBLINEAR -s 7 -B 1 -e 0.1 (liblinear-official), the prototype's optimum.

Usage (from the repository root):
  PY=$(bash Evaluation/pyenv.sh)
  "$PY" Evaluation/dual_cd_quality.py [--seeds 1 2 3 4 5] [--data-dir ../shared/data]
"""
from __future__ import annotations

import argparse
import random
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_classifier import doc_text, liblinear_label_fit, read_jsonl  # noqa: E402
from benchproc import DEFAULT_DATA_DIR  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    args = parser.parse_args()
    train_path = args.data_dir / "reuters21578" / "train.jsonl"
    if not train_path.is_file():
        sys.exit(f"dual_cd_quality: {train_path} not found (../shared/data is needed)")
    import numpy as np
    from liblinear.liblinearutil import problem
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    docs = read_jsonl(train_path)
    print("seed  model  micro-F1  macro-F1")
    totals: dict[str, list[tuple[float, float]]] = {"lbfgs": [], "dual": []}
    for seed in args.seeds:
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        cut = len(shuffled) * 4 // 5
        fit_docs, dev_docs = shuffled[:cut], shuffled[cut:]
        binarizer = MultiLabelBinarizer()
        y = binarizer.fit_transform([d["topics"] for d in fit_docs])
        classes = list(binarizer.classes_)
        y_dev = MultiLabelBinarizer(classes=classes).fit_transform(
            [[t for t in d["topics"] if t in classes] for d in dev_docs])
        vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2)
        x = vectorizer.fit_transform([doc_text(d) for d in fit_docs])
        x_dev = vectorizer.transform([doc_text(d) for d in dev_docs])
        prob = problem(np.zeros(x.shape[0]), x)
        predicted = {"lbfgs": np.zeros_like(y_dev), "dual": np.zeros_like(y_dev)}
        for j in range(len(classes)):
            targets = y[:, j]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model = LogisticRegression(solver="lbfgs", C=10, class_weight="balanced",
                                           tol=1e-4, max_iter=300).fit(x, targets)
            predicted["lbfgs"][:, j] = model.decision_function(x_dev) > 0
            w, b = liblinear_label_fit(prob, np.flatnonzero(targets), "-e 0.1")
            predicted["dual"][:, j] = x_dev @ w + b > 0
        for name, y_pred in predicted.items():
            micro = precision_recall_fscore_support(y_dev, y_pred, average="micro", zero_division=0)[2]
            macro = precision_recall_fscore_support(y_dev, y_pred, average="macro", zero_division=0)[2]
            totals[name].append((micro, macro))
            print(f"{seed:<5} {name:<6} {micro:.4f}    {macro:.4f}", flush=True)
    for name, rows in totals.items():
        print(f"mean  {name:<6} {np.mean([r[0] for r in rows]):.4f}    {np.mean([r[1] for r in rows]):.4f}")


if __name__ == "__main__":
    main()
