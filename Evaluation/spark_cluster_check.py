#!/usr/bin/env python3
"""One job of Evaluation/spark_cluster_check.sh, run with spark-submit against a standalone
cluster: `lapis` (shipped with `spark-submit --files`) classifies or summarizes stories on the
executors, and the output must be complete (one line per story) and byte-identical, after
sorting by id, to one local `lapis` process over the same stories.

Two ways of running lapis on an executor are checked in each job:
  - RDD.pipe with the executor-relative path `./lapis` (files given to --files are fetched into
    each executor's working directory, made executable);
  - mapPartitions calling SparkFiles.get("lapis") on the executor.

--kill-pid PID (the large job): a thread kills that process (a worker) with SIGKILL once the
job's first tasks have finished and others are still to run; the job must still complete.
--expect-hidden PATH...: every executor must see none of these paths (the checkout and
../shared hidden under a tmpfs), which shows that the binary alone is enough.

Stories are read on the driver (research data is read at run time, never copied into the repo)
and sent to the executors with parallelize. Prints one JSON line of figures on stdout.
Exit status: 0 when every comparison matches, 1 otherwise.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, HERE)
from spark_pipe_check import compare, single_process, story_lines  # noqa: E402  (driver-side only)

COMMANDS = {
    "classify": ["classify", "--format", "jsonl"],
    "summarize": ["summarize", "--format", "jsonl"],
}


def log(message):
    print(f"spark_cluster_check: {message}", file=sys.stderr, flush=True)


def by_id(lines):
    """Lines sorted by their JSON "id" (then by the whole line)."""
    return sorted(lines, key=lambda line: (json.loads(line)["id"], line))


def run_with_sparkfiles(arguments):
    """A mapPartitions function: one lapis process per partition, found with SparkFiles.get()
    on the executor. Defined here (in __main__) so that it is pickled by value: executors
    cannot import this file."""
    def run(lines):
        import subprocess as sp
        from pyspark import SparkFiles
        binary = SparkFiles.get("lapis")
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        result = sp.run([binary] + arguments, input=data, stdout=sp.PIPE, stderr=sp.PIPE, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{binary} exited {result.returncode}: {result.stderr.decode(errors='replace')[:500]}")
        return result.stdout.decode("utf-8").split("\n")[:-1]
    return run


def probe(hidden):
    """What each executor sees: its working directory, where SparkFiles puts lapis, and
    which of `hidden` it can read anything in (a hidden path is an empty tmpfs)."""
    def look(_):
        import os as o
        import socket
        from pyspark import SparkFiles
        return [(socket.gethostname(), o.getpid(), o.getcwd(), SparkFiles.get("lapis"),
                 o.access("./lapis", o.X_OK), [path for path in hidden if o.path.isdir(path) and o.listdir(path)])]
    return look


def wait_for_executors(sc, count, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # getExecutorMemoryStatus lists the driver too.
        if sc._jsc.sc().getExecutorMemoryStatus().size() - 1 >= count:
            return True
        time.sleep(0.2)
    return False


def killer(sc, pid, report):
    """Kills `pid` with SIGKILL once a running stage has finished some tasks but not all."""
    tracker = sc.statusTracker()
    while not report.get("done"):
        for stage_id in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage_id)
            if info and 1 <= info.numCompletedTasks <= info.numTasks - 3:
                os.kill(pid, signal.SIGKILL)
                report["killed"] = {"pid": pid, "completed_tasks": info.numCompletedTasks, "tasks": info.numTasks}
                log(f"killed worker pid {pid} with SIGKILL after {info.numCompletedTasks} of {info.numTasks} tasks")
                return
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lapis", required=True, help="the lapis executable (also given to spark-submit --files)")
    parser.add_argument("--task", choices=sorted(COMMANDS), required=True)
    parser.add_argument("--data", required=True, help="JSONL stories (id, title, text)")
    parser.add_argument("--repeat", type=int, default=1, help="repeat the stories N times, ids suffixed (the larger input)")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--executors", type=int, default=2, help="wait until this many executors have registered")
    parser.add_argument("--ways", default="pipe,mappartitions",
                        help="comma-separated: pipe, mappartitions, pipe-model (classify with --model MODEL, shipped with --files)")
    parser.add_argument("--model", help="for pipe-model: the model file given to --files (same bytes as the built-in one)")
    parser.add_argument("--kill-pid", type=int, help="SIGKILL this process mid-job (a worker)")
    parser.add_argument("--expect-hidden", nargs="*", default=[], help="paths no executor may see")
    args = parser.parse_args()

    lines = story_lines(args.data, 0)
    if args.repeat > 1:
        lines = [json.dumps(dict(json.loads(line), id=f"{json.loads(line)['id']}-{copy}"), ensure_ascii=False)
                 for copy in range(args.repeat) for line in lines]
    arguments = COMMANDS[args.task]
    reference_started = time.monotonic()
    expected = by_id(single_process([os.path.abspath(args.lapis)] + arguments, lines))
    reference_seconds = time.monotonic() - reference_started
    log(f"{args.task}: {len(lines)} stories; one local lapis process: {len(expected)} lines in {reference_seconds:.2f} s")
    ok = len(expected) == len(lines)
    if not ok:
        log(f"FAIL: the local process wrote {len(expected)} lines for {len(lines)} stories")

    from pyspark import SparkContext
    started = time.monotonic()
    sc = SparkContext(appName=f"lapis-cluster-{args.task}")
    sc.setLogLevel("ERROR")
    figures = {"task": args.task, "stories": len(lines), "partitions": args.partitions,
               "local_seconds": round(reference_seconds, 3)}
    try:
        if not wait_for_executors(sc, args.executors):
            log(f"FAIL: fewer than {args.executors} executors registered within 60 s")
            return 1
        figures["spark_start_seconds"] = round(time.monotonic() - started, 3)
        log(f"Spark {sc.version} at {sc.master}: {args.executors} executors ready after {figures['spark_start_seconds']:.1f} s")

        seen = sc.parallelize(range(2 * args.executors), 2 * args.executors).mapPartitions(probe(args.expect_hidden)).collect()
        for host, pid, cwd, shipped, executable, visible in sorted(set((h, p, c, s, x, tuple(v)) for h, p, c, s, x, v in seen)):
            log(f"executor python pid {pid} on {host}: cwd {cwd}; SparkFiles.get('lapis') = {shipped}; ./lapis executable: {executable}; "
                f"can see: {list(visible) or 'none of ' + str(args.expect_hidden)}")
            if visible or not executable:
                log("FAIL: an executor can see a hidden path or has no executable ./lapis")
                ok = False

        report = {}
        if args.kill_pid:
            thread = threading.Thread(target=killer, args=(sc, args.kill_pid, report), daemon=True)
            thread.start()
        for way in [w.strip() for w in args.ways.split(",") if w.strip()]:
            rdd = sc.parallelize(lines, args.partitions)
            way_started = time.monotonic()
            if way == "pipe":
                # PySpark runs the command without a shell, with an empty environment, in the
                # executor's working directory, where --files put lapis.
                actual = rdd.pipe("./lapis " + " ".join(arguments), checkCode=True).collect()
            elif way == "pipe-model":
                # A model file shipped beside the binary, by its executor-relative name.
                actual = rdd.pipe("./lapis " + " ".join(arguments) + " --model " + os.path.basename(args.model), checkCode=True).collect()
            elif way == "mappartitions":
                actual = rdd.mapPartitions(run_with_sparkfiles(arguments)).collect()
            else:
                raise SystemExit(f"unknown way: {way}")
            seconds = time.monotonic() - way_started
            same = compare(f"{args.task} via {way}", expected, by_id(actual))
            ok &= same
            figures[f"{way}_seconds"] = round(seconds, 3)
            log(f"{args.task} via {way}: {len(actual)} lines for {len(lines)} stories in {args.partitions} partitions, "
                f"{seconds:.2f} s ({len(lines) / seconds:.0f} stories/s): {'identical to the local process' if same else 'DIFFERENT'}")
        report["done"] = True
        if args.kill_pid:
            figures["killed"] = report.get("killed")
            if not report.get("killed"):
                log("FAIL: the job ended before the worker could be killed mid-job (give it more stories)")
                ok = False
    finally:
        sc.stop()
    figures["ok"] = bool(ok)
    print(json.dumps(figures), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
