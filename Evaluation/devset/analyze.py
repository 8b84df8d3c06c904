#!/usr/bin/env python3
"""Where a topic model's errors on the development set come from (issue #15).

    python3 Evaluation/devset/analyze.py [--model M] [--lapis PATH]

For each label: average precision (ranking quality), F1 at the model's own thresholds, and the
best F1 any single threshold would give (chosen on the development set itself: an upper bound
that says how much is threshold choice, never a way to set thresholds). Then the same model
applied to passages (windows of 3 or 5 sentences by `lapis sentences`) combined with the whole
story's score (max, mean, geometric mean): mean average precision and macro-F1 at the model's
thresholds. Reads the texts from ../shared/data at run time (see evaluate.py); exits 0 with a
message when that is absent.
"""
import argparse
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402  (the development set's records)

TOPICS = ["trade", "security", "transport", "multilateral"]


def run(lapis, arguments, records):
    payload = "".join(json.dumps(r) + "\n" for r in records).encode()
    result = subprocess.run([lapis] + arguments, input=payload, capture_output=True, check=True)
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def f1(pairs, threshold):
    tp = sum(1 for s, y in pairs if s >= threshold and y)
    fp = sum(1 for s, y in pairs if s >= threshold and not y)
    fn = sum(1 for s, y in pairs if s < threshold and y)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def average_precision(pairs):
    ranked = sorted(pairs, key=lambda p: -p[0])
    hits, total = 0, 0.0
    for rank, (_, y) in enumerate(ranked, 1):
        if y:
            hits += 1
            total += hits / rank
    return total / max(1, sum(y for _, y in pairs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lapis", default=os.path.join(evaluate.ROOT, ".build", "release", "lapis"))
    parser.add_argument("--model", help="a topic model file (default: the built-in model)")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(evaluate.DATA, "reuters21578")):
        print(f"devset: {evaluate.DATA} is absent: nothing analysed", file=sys.stderr)
        return 0
    model = ["--model", args.model] if args.model else []
    records = evaluate.records()
    info = json.loads(subprocess.run([args.lapis, "inspect", "--json"] + ([args.model] if args.model else []),
                                     capture_output=True, check=True).stdout)
    thresholds = {t: info["label_details"][t]["threshold"] for t in TOPICS}
    whole = [o["scores"] for o in run(args.lapis, ["classify", "--format", "jsonl"] + model, records)]
    print("label          AP     F1 at model threshold   best single-threshold F1")
    best_total = actual_total = 0.0
    for t in TOPICS:
        pairs = [(w[t], t in r["labels"]) for w, r in zip(whole, records)]
        best = max((f1(pairs, x / 100), x / 100) for x in range(1, 100))
        actual = f1(pairs, thresholds[t])
        best_total += best[0] / 4
        actual_total += actual / 4
        print(f"{t:13s} {average_precision(pairs):.3f}  {actual:.3f} (threshold {thresholds[t]:.2f})       {best[0]:.3f} (at {best[1]:.2f})")
    print(f"macro                {actual_total:.3f}                         {best_total:.3f}\n")
    sentences = [o["sentences"] for o in run(args.lapis, ["sentences", "--format", "jsonl"],
                                                [{"id": r["id"], "text": r["text"]} for r in records])]
    print("passages  combination  mAP    macro-F1 at model thresholds")
    for window in (3, 5):
        passages, owner = [], []
        for index, (record, story) in enumerate(zip(records, sentences)):
            starts = range(max(1, len(story) - window + 1))
            for start in starts:
                passages.append({"id": f"{index}-{start}", "title": record["title"], "text": " ".join(story[start:start + window])})
                owner.append(index)
        best_passage = [{t: 0.0 for t in TOPICS} for _ in records]
        for index, scores in zip(owner, (o["scores"] for o in run(args.lapis, ["classify", "--format", "jsonl"] + model, passages))):
            for t in TOPICS:
                best_passage[index][t] = max(best_passage[index][t], scores[t])
        for name, combine in (("whole", lambda w, p: w), ("max", max), ("mean", lambda w, p: (w + p) / 2),
                              ("geometric", lambda w, p: math.sqrt(w * p))):
            ap = macro = 0.0
            for t in TOPICS:
                pairs = [(combine(w[t], p[t]), t in r["labels"]) for w, p, r in zip(whole, best_passage, records)]
                ap += average_precision(pairs) / 4
                macro += f1(pairs, thresholds[t]) / 4
            print(f"{window} sent.  {name:11s}  {ap:.3f}  {macro:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
