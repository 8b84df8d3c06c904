#!/usr/bin/env python3
"""`lapis train --solver lbfgs` against `--solver dual-cd` on Reuters-21578's training split
(issue 19): whole-process wall and user CPU seconds and peak RSS (GNU time), with and without
the threshold cross-validation (`--folds 3` / `--folds 0`), on two threads and on one
(`LAPIS_THREADS`). The configurations alternate within each round, and the medians over the
rounds are printed. Only the training split is read; nothing is scored.

Usage (from the repository root; needs ../shared/data, GNU time and a release build):
  python3 Evaluation/bench_solvers.py [--lapis .build/release/lapis] [--rounds 5]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lapis", default=os.path.join(ROOT, ".build/release/lapis"))
    parser.add_argument("--data", default=os.path.join(ROOT, "../shared/data/reuters21578/train.jsonl"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(args.data):
        print(f"bench_solvers: {args.data} is absent (../shared/data); nothing to measure")
        return
    configurations = [(solver, folds, threads) for solver in ("lbfgs", "dual-cd") for folds in (3, 0) for threads in (2, 1)]
    times = {configuration: [] for configuration in configurations}
    with tempfile.TemporaryDirectory() as tmp:
        for round_number in range(1, args.rounds + 1):
            for solver, folds, threads in configurations:
                report = os.path.join(tmp, "time.txt")
                command = ["/usr/bin/time", "-f", "%e %U %M", "-o", report, args.lapis, "train", "--data", args.data,
                           "--text-field", "text", "--title-field", "title", "--label-field", "topics",
                           "--solver", solver, "--folds", str(folds), "--output", os.path.join(tmp, "model.lapis"), "--quiet"]
                environment = dict(os.environ, LAPIS_THREADS=str(threads))
                subprocess.run(command, check=True, env=environment)
                wall, user, rss = open(report).read().split()[-3:]
                times[(solver, folds, threads)].append((float(wall), float(user), int(rss) / 1024))
            print(f"round {round_number} done", file=sys.stderr)
    print(f"| solver | folds | threads | wall s | user CPU s | peak RSS MiB | wall vs lbfgs |  (medians of {args.rounds} alternating rounds)")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for solver, folds, threads in configurations:
        wall, user, rss = (statistics.median(value[i] for value in times[(solver, folds, threads)]) for i in range(3))
        reference = statistics.median(value[0] for value in times[("lbfgs", folds, threads)])
        print(f"| {solver} | {folds} | {threads} | {wall:.2f} | {user:.2f} | {rss:.0f} | {wall / reference:.2f}× |")


if __name__ == "__main__":
    main()
