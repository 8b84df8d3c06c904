#!/usr/bin/env python3
"""Choose the fastText anchor's learning rate and probability cut on Reuters' training split only.

bench_classifier.py runs fastText (supervised, one-vs-all loss, word bigrams, 50 epochs, two
threads) as one of issue 19's anchors. Its learning rate and the probability at which a label
is predicted are chosen here, as the issue asks ("chosen on a train split"): the training split
is cut 80/20 by a seeded shuffle, each learning rate is trained on the 80% and each cut scored on
the 20% (micro- and macro-F1 over the labels seen in the 80%). The test split is not read.

Usage (from the repository root):
  PY=$(bash Evaluation/pyenv.sh)
  "$PY" Evaluation/fasttext_anchor_settings.py [--data-dir ../shared/data] [--seed 1]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_classifier import fasttext_line, read_jsonl  # noqa: E402
from benchproc import DEFAULT_DATA_DIR  # noqa: E402

LEARNING_RATES = (0.1, 0.25, 0.5, 1.0, 2.0)
CUTS = (0.5, 0.4, 0.3, 0.2, 0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    train_path = args.data_dir / "reuters21578" / "train.jsonl"
    if not train_path.is_file():
        sys.exit(f"fasttext_anchor_settings: {train_path} not found (../shared/data is needed)")
    import fasttext
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    docs = read_jsonl(train_path)
    random.Random(args.seed).shuffle(docs)
    cut = len(docs) * 4 // 5
    fit_docs, dev_docs = docs[:cut], docs[cut:]
    classes = sorted({t for d in fit_docs for t in d["topics"]})
    binarizer = MultiLabelBinarizer(classes=classes)
    y_true = binarizer.fit_transform([[t for t in d["topics"] if t in classes] for d in dev_docs])
    print(f"seed {args.seed}: {len(fit_docs)} stories to fit, {len(dev_docs)} to score, "
          f"{len(classes)} labels")
    print("lr     cut   micro-F1  macro-F1")
    with tempfile.TemporaryDirectory(prefix="lapis-fasttext-") as work:
        train_file = Path(work) / "fit.txt"
        with open(train_file, "w", encoding="utf-8") as f:
            for d in fit_docs:
                f.write(" ".join(f"__label__{t}" for t in d["topics"]) + " " + fasttext_line(d) + "\n")
        for lr in LEARNING_RATES:
            model = fasttext.train_supervised(input=str(train_file), loss="ova", wordNgrams=2,
                                              epoch=50, thread=2, lr=lr, verbose=0, seed=args.seed)
            scored = [model.f.predict(fasttext_line(d), -1, min(CUTS), "strict") for d in dev_docs]
            for c in CUTS:
                predicted = [[label[len("__label__"):] for p, label in row if p >= c] for row in scored]
                y_pred = binarizer.transform([[t for t in labels if t in classes] for labels in predicted])
                f1 = {}
                for average in ("micro", "macro"):
                    f1[average] = precision_recall_fscore_support(y_true, y_pred, average=average,
                                                                  zero_division=0)[2]
                print(f"{lr:<6} {c:<5} {f1['micro']:.4f}    {f1['macro']:.4f}", flush=True)


if __name__ == "__main__":
    main()
