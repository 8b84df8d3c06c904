#!/usr/bin/env python3
"""Whole-process speed of `lapis classify` on the Reuters-21578 test split, side by side.

    python3 Evaluation/classify_speed.py [--rounds 25] [--input FILE] NAME=LAPIS[:MODEL] ...

Each NAME=LAPIS[:MODEL] is a lapis binary and, optionally, a model file (default: the
binary's built-in model). The jobs run alternately, ROUNDS times each, with output to
/dev/null; the table gives the median wall time and CPU time (user + system) of each and
their ratio to the first job. Issue #15's figure compares the built-in model with the release
of the issue's day:

    git worktree add /tmp/issueday 6383bed && (cd /tmp/issueday && swift build -c release --product lapis)
    git show 6383bed:Models/default.lapis > /tmp/issue.lapis
    python3 Evaluation/classify_speed.py issueday=/tmp/issueday/.build/release/lapis \\
        now=.build/release/lapis issue-model=.build/release/lapis:/tmp/issue.lapis

Reads ../shared/data (research data, never copied); exits with a message when it is absent.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_INPUT = os.path.join(HERE, "..", "..", "shared", "data", "reuters21578", "test.jsonl")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--input", default=DEFAULT_INPUT)
    parser.add_argument("jobs", nargs="+", metavar="NAME=LAPIS[:MODEL]")
    args = parser.parse_args()
    if not os.path.exists(args.input):
        sys.exit(f"{args.input} is absent: this benchmark needs ../shared/data")
    jobs = []
    for spec in args.jobs:
        name, _, rest = spec.partition("=")
        binary, _, model = rest.partition(":")
        # --format is the spelling every release understands (-f came later).
        jobs.append((name, [binary, "classify"] + (["--model", model] if model else []) + ["--format", "jsonl", args.input]))
    times = {name: [] for name, _ in jobs}
    for _ in range(args.rounds):
        for name, command in jobs:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            times[name].append((wall, cpu))
    first = None
    print(f"{'job':14s} {'wall s':>8s} {'cpu s':>8s} {'wall ×':>8s} {'cpu ×':>8s}   (medians of {args.rounds} alternating rounds)")
    for name, _ in jobs:
        wall = statistics.median(t[0] for t in times[name])
        cpu = statistics.median(t[1] for t in times[name])
        first = first or (wall, cpu)
        print(f"{name:14s} {wall:8.3f} {cpu:8.3f} {wall / first[0]:8.2f} {cpu / first[1]:8.2f}")


if __name__ == "__main__":
    main()
