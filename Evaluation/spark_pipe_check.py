#!/usr/bin/env python3
"""Prove that `lapis classify --format jsonl` and `lapis summarize --format jsonl` work as
streaming filters under Apache Spark's RDD.pipe.

Spark runs in local mode (default local[2]); the stories are split into several partitions,
each partition is piped through one `lapis` process, and the collected lines must equal the
single-process output line for line: RDD.pipe keeps the order within a partition and collect()
keeps partition order, so the whole result is in input order.

Data: the Reuters-21578 test split (../shared/data/reuters21578/test.jsonl, read at run time,
never copied) converted to {"id", "title", "text"} lines, or, when that folder is absent, our
own TrainingData/corpus.jsonl. The model file is shipped with SparkContext.addFile.

Also checked: partitions with no stories (lapis must print nothing and exit 0) and a
partition count that leaves partitions of uneven size. RDD.pipe runs with checkCode=True, so a
non-zero exit of any lapis process fails the job.

Usage (normally through spark_pipe_check.sh, which sets up pyspark):
    python Evaluation/spark_pipe_check.py --lapis .build/debug/lapis
Exit status: 0 when every comparison matches, 1 on any mismatch or failure.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REUTERS_TEST = os.path.join(ROOT, "..", "shared", "data", "reuters21578", "test.jsonl")
OWN_CORPUS = os.path.join(ROOT, "TrainingData", "corpus.jsonl")


def log(message):
    print(f"spark_pipe_check: {message}", file=sys.stderr, flush=True)


def story_lines(path, limit):
    """The stories of `path` as {"id", "title", "text"} JSON lines (other fields dropped)."""
    lines = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            record = json.loads(raw)
            story = {"id": str(record["id"]), "title": record.get("title") or "", "text": record["text"]}
            lines.append(json.dumps(story, ensure_ascii=False))
            if limit and len(lines) >= limit:
                break
    return lines


def single_process(command, lines):
    """Output lines of one lapis process reading every story on standard input."""
    with tempfile.TemporaryFile() as stdin:
        stdin.write(("\n".join(lines) + "\n").encode("utf-8"))
        stdin.seek(0)
        result = subprocess.run(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        raise SystemExit(f"single-process run failed ({result.returncode}): {result.stderr.decode(errors='replace')}")
    return result.stdout.decode("utf-8").split("\n")[:-1]


def compare(name, expected, actual):
    """True when equal; otherwise logs the first difference."""
    if expected == actual:
        return True
    log(f"MISMATCH in {name}: {len(expected)} expected lines, {len(actual)} from Spark")
    for index, (want, got) in enumerate(zip(expected, actual)):
        if want != got:
            log(f"  first difference at line {index + 1}:\n    single process: {want[:300]}\n    spark:          {got[:300]}")
            break
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lapis", required=True, help="the lapis executable")
    parser.add_argument("--model", default=os.path.join(ROOT, "Models", "default.lapis"), help="model file to ship")
    parser.add_argument("--data", help="JSONL stories (default: Reuters test split, else our corpus)")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=5, help="partitions of the main run (at least 2)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N stories (0: all)")
    args = parser.parse_args()

    lapis = os.path.abspath(args.lapis)
    model = os.path.abspath(args.model)
    if not os.access(lapis, os.X_OK):
        raise SystemExit(f"not an executable: {lapis}")
    data = args.data or (REUTERS_TEST if os.path.exists(REUTERS_TEST) else OWN_CORPUS)
    lines = story_lines(data, args.limit)
    log(f"{len(lines)} stories from {os.path.relpath(data, ROOT)}; lapis {lapis}; model {model}")
    partitions = max(2, args.partitions)

    # The workers must run this interpreter (the one with pyspark installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark import SparkConf, SparkContext, SparkFiles

    started = time.monotonic()
    conf = SparkConf().setMaster(args.master).setAppName("lapis-pipe-check").set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    log(f"Spark {sc.version} started in {time.monotonic() - started:.1f} s (master {args.master})")
    ok = True
    try:
        # Ship the model as a cluster would; in local mode the executors share the driver's
        # SparkFiles directory, so the driver can resolve the path for the pipe command.
        sc.addFile(model)
        shipped = SparkFiles.get(os.path.basename(model))
        commands = {
            "classify": [lapis, "classify", "--format", "jsonl", "--model", shipped],
            "summarize": [lapis, "summarize", "--format", "jsonl"],
        }
        for name, command in commands.items():
            reference_started = time.monotonic()
            expected = single_process(command, lines)
            reference_seconds = time.monotonic() - reference_started
            if len(expected) != len(lines):
                log(f"MISMATCH in {name}: the single process wrote {len(expected)} lines for {len(lines)} stories")
                ok = False
                continue
            pipe = " ".join(shlex.quote(part) for part in command)

            spark_started = time.monotonic()
            rdd = sc.parallelize(lines, partitions)
            sizes = rdd.glom().map(len).collect()
            actual = rdd.pipe(pipe, checkCode=True).collect()
            spark_seconds = time.monotonic() - spark_started
            same = compare(f"{name} ({partitions} partitions)", expected, actual)
            ok &= same
            log(f"{name}: {len(actual)} lines from partitions of {sizes}: {'identical' if same else 'DIFFERENT'} "
                f"(single process {reference_seconds:.1f} s, Spark {spark_seconds:.1f} s)")

            # More partitions than stories: some partitions are empty and must yield nothing.
            few = lines[:3]
            sparse = sc.parallelize(few, 6)
            sparse_sizes = sparse.glom().map(len).collect()
            same = compare(f"{name} (3 stories in 6 partitions)", expected[:3], sparse.pipe(pipe, checkCode=True).collect())
            ok &= same
            empty = sc.parallelize([], 2).pipe(pipe, checkCode=True).collect()
            if empty != []:
                log(f"MISMATCH in {name}: empty partitions produced {empty[:3]}")
                ok = False
            log(f"{name}: partitions of {sparse_sizes} and an empty RDD: {'ok' if same and empty == [] else 'FAILED'}")
    finally:
        sc.stop()
    log(f"total {time.monotonic() - started:.1f} s: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
