#!/usr/bin/env python3
"""Compare lapis binaries as deployed files (issue 21: the self-contained binary).

For each binary: its size, the size of the shared libraries `ldd` lists outside /lib and
/usr/lib (what must travel with it) and of a resource bundle beside it; start-up (classify one
story from a file, median of --startup-runs runs); `lapis classify --format jsonl` over the
Reuters-21578 test split and `lapis summarize --format jsonl` over the CNN/DM sample (median of
--runs runs; stories/s); and the peak RSS of each job (GNU time, see benchproc.py).

Usage:
    python3 Evaluation/binary_bench.py NAME=PATH [NAME=PATH ...] [--runs 5] [--startup-runs 20]
e.g. before=.build-before/release/lapis after=.build/release/lapis
Prints a Markdown table on stdout. Data are read from ../shared/data at run time.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchproc import DEFAULT_DATA_DIR, check_inputs, machine_info, run_timed_or_die, warn_if_busy  # noqa: E402


def die(message: str) -> None:
    print(f"binary_bench: {message}", file=sys.stderr)
    sys.exit(1)


def shipped_libraries(binary: Path) -> tuple[int, int]:
    """(count, bytes) of the shared libraries ldd resolves outside the system's /lib, /usr/lib."""
    listing = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    paths = [line.split("=>")[1].split("(")[0].strip() for line in listing.splitlines() if "=>" in line]
    extra = [p for p in paths if p and not p.startswith(("/lib/", "/lib64/", "/usr/lib/"))]
    return len(extra), sum(os.path.getsize(os.path.realpath(p)) for p in extra)


def bundle_bytes(binary: Path) -> int:
    total = 0
    for bundle in binary.parent.glob("*.resources"):
        total += sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())
    return total


def median_job(command: list[str], runs: int, scratch: Path) -> tuple[float, float, float, Path]:
    """(median wall seconds, median CPU seconds, largest peak RSS MiB, output path) of `runs`
    runs of command. CPU time (user + sys) moves less than wall time on a busy machine."""
    walls, cpus, peaks = [], [], []
    out = scratch / "out.txt"
    for _ in range(runs):
        result = run_timed_or_die(command, out)
        walls.append(result["wall_s"])
        cpus.append(result["cpu_s"])
        peaks.append(result["peak_rss_mib"])
    return statistics.median(walls), statistics.median(cpus), max(peaks), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binaries", nargs="+", help="NAME=PATH")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--startup-runs", type=int, default=20)
    args = parser.parse_args()

    reuters = args.data_dir / "reuters21578" / "test.jsonl"
    cnndm = args.data_dir / "cnndm-sample" / "test.jsonl"
    check_inputs(die, [reuters, cnndm], None)
    machine = machine_info()
    warn_if_busy(machine)
    reuters_count = sum(1 for line in reuters.open(encoding="utf-8") if line.strip())
    cnndm_count = sum(1 for line in cnndm.open(encoding="utf-8") if line.strip())

    rows, outputs = [], {}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        one = scratch / "one.jsonl"
        with reuters.open(encoding="utf-8") as handle:
            one.write_text(handle.readline(), encoding="utf-8")
        for spec in args.binaries:
            name, _, path = spec.partition("=")
            binary = Path(path).resolve()
            check_inputs(die, [], binary)
            libs, lib_bytes = shipped_libraries(binary)
            startup, startup_cpu, startup_rss, _ = median_job([str(binary), "classify", "--format", "jsonl", str(one)], args.startup_runs, scratch)
            classify, classify_cpu, classify_rss, out = median_job([str(binary), "classify", "--format", "jsonl", str(reuters)], args.runs, scratch)
            outputs.setdefault("classify", set()).add(out.read_bytes())
            summarize, summarize_cpu, summarize_rss, out = median_job([str(binary), "summarize", "--format", "jsonl", str(cnndm)], args.runs, scratch)
            outputs.setdefault("summarize", set()).add(out.read_bytes())
            rows.append((name, binary.stat().st_size, libs, lib_bytes, bundle_bytes(binary), startup, startup_cpu, startup_rss,
                         classify, classify_cpu, reuters_count / classify, classify_rss,
                         summarize, summarize_cpu, cnndm_count / summarize, summarize_rss))

    mib = 1024 * 1024
    print(f"machine: {json.dumps(machine)}")
    print(f"outputs identical across binaries: classify {len(outputs['classify']) == 1}, summarize {len(outputs['summarize']) == 1}\n")
    print(f"Medians of {args.startup_runs} runs (start-up: classify 1 story) and of {args.runs} runs (classify the "
          f"Reuters test split, {reuters_count} stories; summarize the CNN/DM sample, {cnndm_count}); wall / CPU time.\n")
    print("| binary | file | + shared libs outside /lib, /usr/lib | + resource bundle | start-up wall / CPU | peak RSS "
          "| classify wall / CPU | stories/s (wall) | peak RSS | summarize wall / CPU | stories/s (wall) | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, size, libs, lib_bytes, bundle, startup, startup_cpu, s_rss, classify, classify_cpu, c_rate, c_rss,
         summarize, summarize_cpu, z_rate, z_rss) in rows:
        print(f"| {name} | {size / mib:.1f} MiB | {libs} ({lib_bytes / mib:.1f} MiB) | {bundle / mib:.1f} MiB | "
              f"{startup * 1000:.0f} / {startup_cpu * 1000:.0f} ms | {s_rss:.0f} MiB | {classify:.3f} / {classify_cpu:.3f} s | "
              f"{c_rate:,.0f} | {c_rss:.0f} MiB | {summarize:.3f} / {summarize_cpu:.3f} s | {z_rate:,.0f} | {z_rss:.0f} MiB |")
    return 0 if len(outputs["classify"]) == 1 and len(outputs["summarize"]) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
