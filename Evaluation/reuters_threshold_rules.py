#!/usr/bin/env python3
"""Threshold rules on Reuters-21578's *training* split only (issue 19): repeated cross-validation
and capped fold fits, compared on seeded 80/20 splits.

For each seed, train.jsonl is shuffled (Python's random.Random(seed)) and cut 80/20; every
variant trains on the 80% with `lapis train` (its options plus the variant's flags) and is scored
on the 20% with `lapis evaluate --format json` (micro and macro F1 over the labels of the model
and the data). The training job's user CPU seconds are read from os.wait4, so a loaded machine
changes them less than wall time. The test split is never read.

Usage (from the repository root; needs ../shared/data and a release build):
  python3 Evaluation/reuters_threshold_rules.py                       # the variants below, seeds 1-5
  python3 Evaluation/reuters_threshold_rules.py --seeds 1 2 --variant "cap5=--fold-iterations 5"
  python3 Evaluation/reuters_threshold_rules.py --stopping         # the fits' stopping rules instead
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_VARIANTS = [
    "one run, folds to convergence=--threshold-repeats 1 --fold-iterations 0",
    "three runs, folds to convergence=--threshold-repeats 3 --fold-iterations 0",
    "one run, folds at most 10 iterations=--threshold-repeats 1 --fold-iterations 10",
    "one run, folds at most 5 iterations=--threshold-repeats 1 --fold-iterations 5",
    "one run, folds at most 3 iterations=--threshold-repeats 1 --fold-iterations 3",
    "three runs, folds at most 10 iterations=--threshold-repeats 3 --fold-iterations 10",
    "three runs, folds at most 5 iterations=--threshold-repeats 3 --fold-iterations 5",
    "three runs, folds at most 3 iterations (default)=--threshold-repeats 3 --fold-iterations 3",
]
# The optimiser's stopping rule (every fit: --max-iterations, --tolerance), other options default.
STOPPING_VARIANTS = [
    "default (≤ 300 iterations, tolerance 1e-4)=",
    "tolerance 1e-3=--tolerance 1e-3",
    "tolerance 3e-3=--tolerance 3e-3",
    "tolerance 1e-2=--tolerance 1e-2",
    "at most 15 iterations=--max-iterations 15",
    "at most 25 iterations=--max-iterations 25",
    "at most 40 iterations=--max-iterations 40",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lapis", default=os.path.join(ROOT, ".build/release/lapis"))
    parser.add_argument("--data", default=os.path.join(ROOT, "../shared/data/reuters21578/train.jsonl"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--variant", action="append", help="NAME=FLAGS (repeatable; default: the built-in list)")
    parser.add_argument("--stopping", action="store_true", help="the stopping-rule variants instead of the threshold rules")
    args = parser.parse_args()
    if not os.path.exists(args.data):
        print(f"reuters_threshold_rules: {args.data} is absent (../shared/data); nothing to measure")
        return
    variants = [v.rsplit("=", 1) for v in (args.variant or (STOPPING_VARIANTS if args.stopping else DEFAULT_VARIANTS))]
    rows = [line for line in open(args.data, encoding="utf-8") if line.strip()]
    results = {name: [] for name, _ in variants}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            order = list(range(len(rows)))
            random.Random(seed).shuffle(order)
            cut = int(len(rows) * 0.8)
            train, test = os.path.join(tmp, "train.jsonl"), os.path.join(tmp, "test.jsonl")
            open(train, "w", encoding="utf-8").writelines(rows[i] for i in sorted(order[:cut]))
            open(test, "w", encoding="utf-8").writelines(rows[i] for i in sorted(order[cut:]))
            for name, flags in variants:
                model = os.path.join(tmp, "m.lapis")
                process = subprocess.Popen([args.lapis, "train", train, "--label-field", "topics", "-q", "-o", model] + flags.split(),
                                           stderr=subprocess.PIPE)
                _, status, usage = os.wait4(process.pid, 0)
                if status != 0:
                    sys.exit(f"training {name} failed: {process.stderr.read().decode()}")
                out = subprocess.run([args.lapis, "evaluate", test, "-m", model, "--label-field", "topics", "-f", "json", "-q"],
                                     check=True, capture_output=True, text=True).stdout
                scores = json.loads(out)
                results[name].append((usage.ru_utime, scores["micro"]["f1"], scores["macro"]["f1"]))
                print(f"seed {seed}  {name:45} cpu {usage.ru_utime:6.2f} s  micro {scores['micro']['f1']:.4f}  macro {scores['macro']['f1']:.4f}",
                      flush=True)
    base = None
    print(f"\n| variant (mean over seeds {' '.join(map(str, args.seeds))}) | train CPU s | vs first | micro-F1 | macro-F1 | lowest micro-F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, _ in variants:
        values = results[name]
        cpu = sum(v[0] for v in values) / len(values)
        base = base or cpu
        print(f"| {name} | {cpu:.2f} | {cpu / base:.2f}× | {sum(v[1] for v in values) / len(values):.4f} | "
              f"{sum(v[2] for v in values) / len(values):.4f} | {min(v[1] for v in values):.4f} |")


if __name__ == "__main__":
    main()
