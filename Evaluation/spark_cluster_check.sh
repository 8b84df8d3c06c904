#!/usr/bin/env bash
# lapis on a real Spark standalone cluster (one master, two workers, all on 127.0.0.1), with
# executors that cannot see the source tree: what a deployment with the one self-contained
# `lapis` binary looks like.
#
# Usage:
#   bash Evaluation/spark_cluster_check.sh [LAPIS_BINARY]
#
# Steps (each fails the script on error; every process started here is stopped by its PID on exit):
#  0. Skips (exit 0, saying why) when ../shared/data is absent.
#  1. LAPIS_BINARY, or builds `swift build -c release --static-swift-stdlib --product lapis`;
#     `ldd` must list no Swift library.
#  2. A copy of the binary, run from / in a mount namespace where the checkout, ../shared and
#     the Swift toolchain are hidden under tmpfs mounts, must classify and summarize 50 stories
#     with the built-in models exactly as the binary in the tree does.
#  3. Java (Debian's openjdk-17-jre-headless when missing) and pyspark (pinned in spark_env.sh)
#     in a virtualenv outside the checkout (LAPIS_SPARK_VENV, default ~/.cache/lapis-spark-venv),
#     since the workers must not see the checkout.
#  4. A master and two workers (1 core, 1 GB each) on free loopback ports; the workers run in
#     `unshare --mount` with the checkout, ../shared and the toolchain hidden under tmpfs mounts.
#  5. spark-submit --files lapis,topics.lapis: classify the Reuters-21578 test split, then
#     summarize the CNN/DM sample, each through RDD.pipe("./lapis ...") and mapPartitions +
#     SparkFiles.get() (classify also with --model topics.lapis, a copy of the default model),
#     compared with one local lapis process (Evaluation/spark_cluster_check.py).
#  6. Classify the test split 10 times over (ids suffixed) and `kill -9` one worker mid-job:
#     the output must still be complete and identical.
# Needs root (unshare --mount, apt-get when Java is missing) and takes about 2-4 minutes on 2 cores
# (plus the release build and the pyspark download the first time).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=Evaluation/spark_env.sh
. "$here/spark_env.sh"
log() { printf 'spark_cluster_check.sh: %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
started=$SECONDS

data="$root/../shared/data"
reuters="$data/reuters21578/test.jsonl"
cnndm="$data/cnndm-sample/test.jsonl"
if [ ! -d "$data" ]; then
    log "skipped: $data is absent (the Reuters-21578 and CNN/DM samples are read from there at run time)"
    exit 0
fi
[ -f "$reuters" ] && [ -f "$cnndm" ] || fail "$reuters or $cnndm is missing"
shared="$(cd "$root/../shared" && pwd)"
unshare --mount true 2>/dev/null || fail "unshare --mount does not work here (needs root): it hides the checkout from the workers"

# 1. The binary.
lapis="${1:-}"
if [ -z "$lapis" ]; then
    log "building the self-contained release binary"
    (cd "$root" && swift build -c release --static-swift-stdlib --product lapis >&2)
    lapis="$(cd "$root" && swift build -c release --static-swift-stdlib --show-bin-path)/lapis"
fi
[ -x "$lapis" ] || fail "no lapis executable at $lapis"
lapis="$(cd "$(dirname "$lapis")" && pwd)/$(basename "$lapis")"
if ldd "$lapis" | grep -Eq 'swift|Foundation|dispatch|BlocksRuntime'; then
    ldd "$lapis" >&2
    fail "$lapis links Swift libraries dynamically: build it with --static-swift-stdlib"
fi
log "$lapis: $(stat -c %s "$lapis") bytes; ldd lists: $(ldd "$lapis" | awk '{print $1}' | tr '\n' ' ')"

# Hidden from the workers and the copied binary: the checkout, ../shared and the toolchain.
hide=("$root" "$shared")
if command -v swift >/dev/null; then
    toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"
    case "$toolchain" in /|/usr|/usr/local) ;; *) hide+=("$toolchain") ;; esac
fi

work="$(mktemp -d /tmp/lapis-spark-cluster.XXXXXX)"
pids=()
cleanup() {
    local status=$? pid
    for pid in "${pids[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true    # its process group: the JVM and the executors it started
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    if [ "$status" -ne 0 ] && [ -d "$work/logs" ]; then
        for file in "$work"/logs/*.log; do log "--- last lines of $file"; tail -n 15 "$file" >&2 || true; done
    fi
    rm -rf "$work"
    log "stopped ${#pids[@]} processes; $((SECONDS - started)) s in all"
}
trap cleanup EXIT
mkdir -p "$work/logs" "$work/bin"

# `hidden CMD...` runs CMD in a new mount namespace where every path in hide[] is an empty tmpfs
# (the mounts are private to that namespace and vanish with it).
hide_then_exec='for path in $HIDE; do mount -t tmpfs lapis-hidden "$path" || exit 1; done; exec "$@"'
export HIDE="${hide[*]}"
for path in "${hide[@]}"; do case "$path" in *[[:space:]]*) fail "cannot hide a path with spaces: $path" ;; esac; done
hidden() { unshare --mount sh -c "$hide_then_exec" sh "$@"; }

# 2. A copied binary from / with the source tree out of reach.
cp "$lapis" "$work/bin/lapis"
head -n 25 "$reuters" > "$work/few.jsonl"
head -n 25 "$cnndm" >> "$work/few.jsonl"
for task in classify summarize; do
    "$lapis" "$task" --format jsonl < "$work/few.jsonl" > "$work/few.$task.tree"
    (cd / && hidden "$work/bin/lapis" "$task" --format jsonl) < "$work/few.jsonl" > "$work/few.$task.copy" \
        || fail "the copied binary failed to $task with ${hide[*]} hidden"
    cmp -s "$work/few.$task.tree" "$work/few.$task.copy" || fail "the copied binary's $task output differs"
    [ "$(wc -l < "$work/few.$task.copy")" -eq 50 ] || fail "the copied binary wrote $(wc -l < "$work/few.$task.copy") $task lines for 50 stories"
done
(cd / && hidden sh -c 'test ! -e "$1/Package.swift" && test ! -e "$2/data"' sh "$root" "$shared") || fail "the tmpfs did not hide the checkout"
log "a copy of the binary run from / with ${hide[*]} hidden: classify and summarize identical to the tree's (50 stories)"

# 3. Java and pyspark.
spark_ensure_java spark_cluster_check.sh
venv="${LAPIS_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/lapis-spark-venv}"
case "$venv/" in "$root"/*|"$shared"/*) fail "LAPIS_SPARK_VENV ($venv) must be outside the checkout and ../shared: the workers cannot see those" ;; esac
py="$(spark_python "$venv" spark_cluster_check.sh)"
spark_home="$("$py" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME="$spark_home" PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOG_DIR="$work/logs" SPARK_NO_DAEMONIZE=1

# 4. Master and workers, each in a process group of its own (setsid), on free loopback ports.
read -r master_port master_ui worker1_port worker1_ui worker2_port worker2_ui < <("$py" -c '
import socket
sockets = [socket.socket() for _ in range(6)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))')
master="spark://127.0.0.1:$master_port"
setsid "$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui" > "$work/logs/master.log" 2>&1 &
pids+=($!)
for i in 1 2; do
    port_var="worker${i}_port"; ui_var="worker${i}_ui"
    mkdir -p "$work/worker$i"
    setsid unshare --mount sh -c "$hide_then_exec" sh \
        "$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
        --port "${!port_var}" --webui-port "${!ui_var}" --cores 1 --memory 1g --work-dir "$work/worker$i" "$master" \
        > "$work/logs/worker$i.log" 2>&1 &
    pids+=($!)
done
worker1_pid="${pids[1]}"
alive_workers() {
    "$py" -c '
import json, sys, urllib.request
try:
    state = json.load(urllib.request.urlopen(sys.argv[1], timeout=2))
except Exception:
    print(-1); sys.exit(0)
print(sum(1 for w in state.get("workers", []) if w.get("state") == "ALIVE"))' "http://127.0.0.1:$master_ui/json/"
}
for _ in $(seq 120); do [ "$(alive_workers)" = 2 ] && break; sleep 0.5; done
[ "$(alive_workers)" = 2 ] || fail "the two workers did not register with $master within 60 s"
for pid in "${pids[@]}"; do kill -0 "$pid" || fail "process $pid died"; done
[ "$(cat "/proc/$worker1_pid/comm")" = java ] || fail "pid $worker1_pid is $(cat "/proc/$worker1_pid/comm"), not the worker JVM"
log "master $master (web UI :$master_ui) and 2 workers ALIVE after $((SECONDS - started)) s; pids ${pids[*]}"

# 5 and 6. The jobs.
# A model shipped beside the binary (a copy of the built-in one, so the output must not change).
cp "$root/Models/default.lapis" "$work/topics.lapis"
submit() {
    "$spark_home/bin/spark-submit" --master "$master" --files "$lapis,$work/topics.lapis" \
        --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
        --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false --conf spark.executor.memory=512m \
        "$here/spark_cluster_check.py" --lapis "$lapis" --expect-hidden "${hide[@]}" "$@" \
        2> >(grep -v -E '^(WARN|INFO) |^[0-9/]+ [0-9:]+ (WARN|INFO) |NativeCodeLoader|^Setting default log level|^To adjust logging level' >&2) \
        | tee -a "$work/figures.jsonl"
}
submit --task classify --data "$reuters" --partitions 8 --ways pipe,mappartitions,pipe-model --model "$work/topics.lapis" \
    || fail "the classify job"
submit --task summarize --data "$cnndm" --partitions 8 || fail "the summarize job"
submit --task classify --data "$reuters" --repeat 10 --partitions 24 --ways pipe --kill-pid "$worker1_pid" \
    || fail "the 10x classify job with a worker killed"
kill -0 "$worker1_pid" 2>/dev/null && fail "worker pid $worker1_pid is still running after kill -9"
for _ in $(seq 40); do [ "$(alive_workers)" = 1 ] && break; sleep 0.5; done
[ "$(alive_workers)" = 1 ] || fail "the master lists $(alive_workers) ALIVE workers after the kill, not 1"
log "the master lists 1 ALIVE worker after the kill"
log "PASS in $((SECONDS - started)) s"
