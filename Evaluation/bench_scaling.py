#!/usr/bin/env python3
"""How `lapis train` and streaming `lapis classify` scale with the size of the training data.

The Reuters-21578 train split (7,769 stories) is replicated 1x, 4x, 16x and 64x (about
500,000 stories) into a temporary folder; nothing is written into the repository. Copy c of a
story gets the id "<id>~<c>", and every copy but the first has its text changed a little, so
that document frequencies are not just multiplied: one word, chosen from the story's id and
c, is dropped, and a token of its own ("copy<c>mark") is appended. Titles and topics are kept.

For each size it runs, one job at a time:
  train:    lapis train --data F --text-field text --title-field title --label-field topics
                        --output M --quiet                       (the defaults)
  classify: lapis classify --model M --format jsonl < F          (standard input: a stream)
and reports wall and CPU time and peak RSS (each job's own, see benchproc.py), and the size of
the training feature matrix's own bytes: lapis keeps it in CSR form, 4 bytes of column index and
4 of value per stored entry plus 8 bytes of row offset per row (rows + 1), so
    matrix bytes = 8 * nnz + 8 * (rows + 1).
nnz is recovered from the saved model: every stored entry is one (story, vocabulary term) pair,
so nnz is the sum over the vocabulary of document frequencies, and each term's document
frequency follows from its idf = ln((1 + n) / (1 + df)) + 1 (float32 in the model file); the
df whose float32 idf equals the stored one is taken (when two do, the script says how many
such terms there were: each can be off by one).

Checks printed at the end (PASS/FAIL, never hidden):
  - training grows no faster than linearly: CPU time per story at the largest size is at most
    1.25x the CPU time per story at 4x (1x is dominated by start-up and fixed costs; CPU time,
    not wall time, because on a shared machine wall time also measures the other jobs);
  - training peak RSS is within 2x of the feature matrix's bytes (at the sizes >= 4x);
  - classify peak RSS is flat: at most 1.5x its 1x value at every size.

Usage (from the repository root; build first with `swift build -c release`):
  PY=$(bash Evaluation/pyenv.sh)
  nice "$PY" Evaluation/bench_scaling.py                      # 1x 4x 16x 64x
  nice "$PY" Evaluation/bench_scaling.py --factors 1 4 16     # what fits in the time you have
Options: --data-dir DIR (default ../shared/data), --lapis PATH (default .build/release/lapis),
         --factors N..., --json-out FILE, --markdown, --keep-temp.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import shlex
import shutil
import struct
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

from benchproc import DEFAULT_DATA_DIR, DEFAULT_LAPIS, check_inputs, machine_info, run_timed_or_die as run_timed, warn_if_busy


def die(message: str, code: int = 2) -> None:
    print(f"bench_scaling: {message}", file=sys.stderr)
    sys.exit(code)


def replicate(source: Path, factor: int, out: Path) -> tuple[int, int]:
    """Writes `factor` altered copies of the JSONL file `source` to `out`; returns (stories, bytes)."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    stories = 0
    with open(out, "w", encoding="utf-8") as f:
        for copy in range(factor):
            for record in records:
                altered = dict(record)
                altered["id"] = f"{record['id']}~{copy}"
                if copy > 0:
                    words = (record.get("text") or "").split(" ")
                    if len(words) > 1:
                        # Deterministic across runs and machines (not Python's salted hash).
                        drop = zlib.crc32(f"{record['id']}/{copy}".encode()) % len(words)
                        del words[drop]
                    altered["text"] = " ".join(words) + f" copy{copy}mark"
                f.write(json.dumps(altered, ensure_ascii=False) + "\n")
                stories += 1
    return stories, out.stat().st_size


def model_arrays(path: Path) -> tuple[dict, dict]:
    """The metadata and float32 arrays of a lapis model file (layout: ModelFile.swift)."""
    raw = path.read_bytes()
    magic, _version, crc, m, _a = struct.unpack("<8sIIQQ", raw[:32])
    if magic != b"LAPISMDL" or zlib.crc32(raw[32:]) != crc:
        die(f"{path} is not an intact lapis model file", code=1)
    meta = json.loads(raw[32:32 + m])
    data, arrays = raw[32 + m:], {}
    for spec in meta["arrays"]:
        arrays[spec["name"]] = np.frombuffer(data, "<f4", spec["count"])
        data = data[4 * spec["count"]:]
    return meta, arrays


def find_key(tree, key):
    """The first value of `key` anywhere in nested dicts and lists, or None."""
    if isinstance(tree, dict):
        if key in tree:
            return tree[key]
        tree = list(tree.values())
    if isinstance(tree, list):
        for item in tree:
            found = find_key(item, key)
            if found is not None:
                return found
    return None


def stored_entries(model: Path, stories: int) -> tuple[int, int]:
    """(nnz, terms whose df is ambiguous by one) of the training matrix, from the model's idf."""
    meta, arrays = model_arrays(model)
    documents = find_key(meta, "documents")
    if documents != stories:
        die(f"{model}: the model says {documents} training stories, the data has {stories}", code=1)
    idf = arrays.get("idf")
    if idf is None:
        die(f"{model}: no idf array (arrays: {sorted(arrays)})", code=1)
    idf64 = idf.astype(np.float64)
    guess = np.rint((1 + stories) / np.exp(idf64 - 1) - 1).astype(np.int64)
    best = guess.copy()
    matches = np.zeros(len(idf), dtype=np.int64)
    for offset in (-2, -1, 0, 1, 2):
        df = np.clip(guess + offset, 1, stories)
        # As TfidfWeighting.smoothedIDF: Float(log(Double(1 + n) / Double(1 + df)) + 1).
        candidate = (np.log((1 + stories) / (1 + df.astype(np.float64))) + 1).astype(np.float32)
        hit = candidate == idf
        first = hit & (matches == 0)
        best[first] = df[first]
        matches += hit
    if (matches == 0).any():
        die(f"{model}: {int((matches == 0).sum())} idf values match no document frequency", code=1)
    return int(best.sum()), int((matches > 1).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--lapis", type=Path, default=DEFAULT_LAPIS)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--markdown", action="store_true", help="also print a markdown table")
    parser.add_argument("--keep-temp", action="store_true")
    args = parser.parse_args()
    if any(f < 1 for f in args.factors):
        die("--factors must be positive")
    source = args.data_dir / "reuters21578" / "train.jsonl"
    lapis = args.lapis.resolve()
    check_inputs(die, [source], lapis)

    machine = machine_info()
    warn_if_busy(machine)
    results = {"benchmark": "reuters-train-replicated-scaling",
               "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "command": shlex.join([sys.executable] + sys.argv), "machine": machine, "sizes": []}
    work = Path(tempfile.mkdtemp(prefix="lapis-bench-scaling-"))
    try:
        for factor in sorted(set(args.factors)):
            data = work / f"train-{factor}x.jsonl"
            stories, size = replicate(source, factor, data)
            model = work / f"model-{factor}x.lapis"
            print(f"{factor}x: {stories:,} stories, {size / 1e6:.1f} MB: training ...", file=sys.stderr, flush=True)
            train = run_timed([str(lapis), "train", "--data", str(data), "--text-field", "text",
                               "--title-field", "title", "--label-field", "topics",
                               "--output", str(model), "--quiet"], work / f"train-{factor}x.out")
            nnz, ambiguous = stored_entries(model, stories)
            matrix_bytes = 8 * nnz + 8 * (stories + 1)
            print(f"  train {train['wall_s']:.2f} s, {train['peak_rss_mib']:.0f} MiB; classifying ...",
                  file=sys.stderr, flush=True)
            # Standard input, so the stream path is what is measured; predictions to a file.
            classify = run_timed(["/bin/sh", "-c", f"exec {shlex.quote(str(lapis))} classify --model "
                                  f"{shlex.quote(str(model))} --format jsonl < {shlex.quote(str(data))}"],
                                 work / f"classify-{factor}x.jsonl")
            lines = sum(1 for _ in open(work / f"classify-{factor}x.jsonl", "rb"))
            if lines != stories:
                die(f"{factor}x: classify printed {lines} lines for {stories} stories", code=1)
            print(f"  classify {classify['wall_s']:.2f} s, {classify['peak_rss_mib']:.0f} MiB",
                  file=sys.stderr, flush=True)
            results["sizes"].append({
                "factor": factor, "stories": stories, "bytes": size,
                "train_s": train["wall_s"], "train_cpu_s": train["cpu_s"], "train_rss_mib": train["peak_rss_mib"],
                "classify_s": classify["wall_s"], "classify_cpu_s": classify["cpu_s"],
                "classify_rss_mib": classify["peak_rss_mib"],
                "nnz": nnz, "nnz_ambiguous_terms": ambiguous, "matrix_mib": matrix_bytes / 2**20,
            })
            for path in (data, model, work / f"classify-{factor}x.jsonl"):
                if not args.keep_temp:
                    path.unlink(missing_ok=True)
    finally:
        if args.keep_temp:
            print(f"temporary files kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    sizes = results["sizes"]
    checks = []
    per_story = {s["factor"]: s["train_s"] / s["stories"] for s in sizes}
    cpu_per_story = {s["factor"]: s["train_cpu_s"] / s["stories"] for s in sizes}
    larger = [f for f in per_story if f >= 4]
    if len(larger) >= 2:
        low, high = min(larger), max(larger)
        # CPU time decides: on a shared machine wall time also measures the other jobs.
        growth = cpu_per_story[high] / cpu_per_story[low]
        wall = per_story[high] / per_story[low]
        checks.append((f"training no faster than linear: CPU time per story at {high}x / at {low}x = {growth:.2f} "
                       f"(<= 1.25; wall time {wall:.2f})", growth <= 1.25))
    for s in sizes:
        if s["factor"] >= 4:
            ratio = s["train_rss_mib"] / s["matrix_mib"]
            checks.append((f"{s['factor']}x: training peak RSS / matrix bytes = {ratio:.2f} (<= 2)", ratio <= 2))
    base = next((s for s in sizes if s["factor"] == min(per_story)), None)
    if base and len(sizes) > 1:
        worst = max(s["classify_rss_mib"] for s in sizes) / base["classify_rss_mib"]
        checks.append((f"classify memory flat: largest peak RSS / {base['factor']}x's = {worst:.2f} (<= 1.5)", worst <= 1.5))
    results["checks"] = [{"check": text, "pass": ok} for text, ok in checks]

    header = ["copies", "stories", "MB", "train s", "train CPU s", "train s / 1k stories", "train RSS MiB",
              "nnz", "matrix MiB", "RSS / matrix", "classify s", "classify RSS MiB"]
    rows = [[f"{s['factor']}x", f"{s['stories']:,}", f"{s['bytes'] / 1e6:.1f}", f"{s['train_s']:.2f}",
             f"{s['train_cpu_s']:.2f}", f"{1000 * s['train_s'] / s['stories']:.3f}", f"{s['train_rss_mib']:.0f}",
             f"{s['nnz']:,}", f"{s['matrix_mib']:.1f}", f"{s['train_rss_mib'] / s['matrix_mib']:.2f}",
             f"{s['classify_s']:.2f}", f"{s['classify_rss_mib']:.0f}"] for s in sizes]
    widths = [max(len(x) for x in column) for column in zip(header, *rows)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    ambiguous = sum(s["nnz_ambiguous_terms"] for s in sizes)
    if ambiguous:
        print(f"note: {ambiguous} term(s) had an idf shared by two document frequencies; nnz may be off by that many")
    if args.markdown:
        m = machine
        print()
        print(f"- date: {results['date']}; machine: {m['nproc']} cores, {m['cpu_model']}, {m['ram_gib']} GiB RAM, "
              f"load average at start {m['loadavg_at_start']}, niceness {m['niceness']}")
        print(f"- command: `{results['command']}`; peak RSS: {m['peak_rss_method']}")
        print()
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---:" for _ in header) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
        for text, ok in checks:
            print(f"- {'PASS' if ok else 'FAIL'}: {text}")
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
