#!/usr/bin/env python3
"""Would a lockstep dual coordinate descent fit Reuters' 90 labels faster? (issue 19)

Builds scikit-learn's TF-IDF of Reuters' training split (the LIBLINEAR anchor's matrix in
bench_classifier.py), writes it to a temporary folder, compiles Evaluation/dual_cd_prototype.c
(cc -O3 -march=native) and, alternating for R rounds, times
  - the prototype: all 90 labels in lockstep on one thread (dual CD, LIBLINEAR's stopping rule),
    then the threshold cross-validation's fold fits as lapis's defaults run them (3 runs x 3
    folds, each fold model at most 3 epochs from the full fit's duals; --fold-epochs 0: to the
    stopping rule);
  - LIBLINEAR -s 7 (liblinear-official) on the same problem, the labels one after another in one
    process (C=10, "balanced" class weights, -B 1);
  - with --lapis BIN, lapis's own fits on one thread for scale: final fits = `LAPIS_THREADS=1
    lapis train --folds 0` less the same with --max-iterations 1 (text pipeline and save), fold
    fits and thresholds = the default `lapis train` less `--folds 0`; lapis fits its own TF-IDF
    with an unregularised bias to a tighter tolerance: the same task, not the same problem;
then checks that both reached the same optimum: the sum over labels of the primal objective
1/2 |w|^2 + sum_i C_i log(1 + exp(-y_i w.x_i)) (bias included in w) for each solution.
The training split only; the test split is not read.

Usage (from the repository root):
  PY=$(bash Evaluation/pyenv.sh)
  "$PY" Evaluation/dual_cd_prototype.py [--rounds 3] [--eps 0.1] [--data-dir ../shared/data]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_classifier import liblinear_label_fit, read_and_vectorize  # noqa: E402
from benchproc import DEFAULT_DATA_DIR  # noqa: E402

HERE = Path(__file__).resolve().parent
LANES = 96  # the prototype's weight block width (labels padded to a multiple of 8)


def primal_objective(xb, y, c, w) -> float:
    import numpy as np
    margins = y * (xb @ w)
    return float(0.5 * w @ w + (c * np.logaddexp(0, -margins)).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--eps", type=float, default=0.1)
    parser.add_argument("--fold-epochs", type=int, default=3)
    parser.add_argument("--lapis", type=Path, help="also time this lapis binary's final fits on one thread")
    args = parser.parse_args()
    train_path = args.data_dir / "reuters21578" / "train.jsonl"
    if not train_path.is_file():
        sys.exit(f"dual_cd_prototype: {train_path} not found (../shared/data is needed)")
    compiler = shutil.which("cc") or shutil.which("clang") or shutil.which("gcc")
    if compiler is None:
        sys.exit("dual_cd_prototype: no C compiler (cc, clang or gcc) on PATH")
    import numpy as np
    import scipy.sparse as sp
    from liblinear.liblinearutil import problem

    _, _, binarizer, y, _, x = read_and_vectorize(train_path)
    x = x.tocsr()
    x.sort_indices()
    n, d = x.shape
    labels = y.shape[1]
    if labels > LANES:
        sys.exit(f"dual_cd_prototype: {labels} labels, the prototype holds {LANES}")
    with tempfile.TemporaryDirectory(prefix="lapis-dualcd-") as work:
        folder = Path(work)
        np.asarray([n, d, x.nnz, labels], dtype=np.int64).tofile(folder / "shape.bin")
        x.indptr.astype(np.int64).tofile(folder / "indptr.bin")
        x.indices.astype(np.int32).tofile(folder / "indices.bin")
        x.data.astype(np.float64).tofile(folder / "data.bin")
        np.asarray(y, dtype=np.uint8).tofile(folder / "y.bin")
        binary = folder / "dual_cd_prototype"
        subprocess.run([compiler, "-O3", "-march=native", "-o", str(binary),
                        str(HERE / "dual_cd_prototype.c"), "-lm"], check=True)

        prob = problem(np.zeros(n), x)
        prototype_s, prototype_folds_s, liblinear_s, lapis_s, lapis_folds_s = [], [], [], [], []
        liblinear_w = None
        report = fold_report = ""
        systems = ("prototype", "liblinear") + (("lapis",) if args.lapis else ())
        for round_no in range(args.rounds):
            order = systems if round_no % 2 == 0 else systems[::-1]
            for system in order:
                if system == "lapis":
                    times = []
                    for extra in (["--folds", "0"], ["--folds", "0", "--max-iterations", "1"], []):
                        start = time.perf_counter()
                        subprocess.run([str(args.lapis), "train", "--data", str(train_path), "--text-field", "text",
                                        "--title-field", "title", "--label-field", "topics",
                                        "-q", "-o", str(folder / "lapis.lapis")] + extra, check=True,
                                       env={**os.environ, "LAPIS_THREADS": "1"})
                        times.append(time.perf_counter() - start)
                    lapis_s.append(times[0] - times[1])
                    lapis_folds_s.append(times[2] - times[0])
                elif system == "prototype":
                    out = subprocess.run([str(binary), str(folder), repr(args.eps), "3",
                                          str(args.fold_epochs), "3"], check=True,
                                         capture_output=True, text=True).stdout
                    report, fold_report = out.splitlines()[0], out.splitlines()[1]
                    # The program's own clocks: the full fits, then the fold fits (loading excluded).
                    prototype_s.append(float(re.search(r"subproblems, ([0-9.]+) s \(", report).group(1)))
                    prototype_folds_s.append(float(re.search(r"subproblems, ([0-9.]+) s$", fold_report).group(1)))
                else:
                    weights = np.zeros((d + 1, labels))
                    start = time.perf_counter()
                    for j in range(labels):
                        w, b = liblinear_label_fit(prob, np.flatnonzero(y[:, j]), f"-e {args.eps!r}")
                        weights[:, j] = np.append(w, b)
                    liblinear_s.append(time.perf_counter() - start)
                    liblinear_w = weights
                spent = {"prototype": prototype_s, "liblinear": liblinear_s, "lapis": lapis_s}[system][-1]
                print(f"round {round_no + 1}: {system} {spent:.3f} s (full fits)",
                      file=sys.stderr, flush=True)

        ours = np.fromfile(folder / "w.bin").reshape(d + 1, LANES)[:, :labels]
        xb = sp.hstack([x, np.ones((n, 1))]).tocsr()
        total_ours = total_liblinear = 0.0
        for j in range(labels):
            targets = np.where(y[:, j] == 1, 1.0, -1.0)
            positives = int((targets > 0).sum())
            c = np.where(targets > 0, 10.0 * n / (2.0 * positives), 10.0 * n / (2.0 * (n - positives)))
            total_ours += primal_objective(xb, targets, c, ours[:, j])
            total_liblinear += primal_objective(xb, targets, c, liblinear_w[:, j])

    print(f"Reuters training split, scikit-learn's TF-IDF: {n} rows, {d} features, {x.nnz} entries, "
          f"{labels} labels; eps {args.eps}; medians of {args.rounds} alternating rounds")
    print(f"prototype (lockstep dual CD, 1 thread), full fits: {statistics.median(prototype_s):.3f} s  "
          f"[{', '.join(f'{t:.3f}' for t in prototype_s)}]; last round: {re.sub(r'^eps [^:]*: ', '', report)}")
    print(f"prototype fold fits: {statistics.median(prototype_folds_s):.3f} s  "
          f"[{', '.join(f'{t:.3f}' for t in prototype_folds_s)}]; last round: {fold_report}")
    print(f"LIBLINEAR -s 7 (labels in turn, 1 process): {statistics.median(liblinear_s):.3f} s  "
          f"[{', '.join(f'{t:.3f}' for t in liblinear_s)}]; LIBLINEAR / prototype full fits "
          f"{statistics.median(liblinear_s) / statistics.median(prototype_s):.2f}")
    if lapis_s:
        print(f"lapis final fits, 1 thread (train --folds 0 less --max-iterations 1): {statistics.median(lapis_s):.3f} s  "
              f"[{', '.join(f'{t:.3f}' for t in lapis_s)}]")
        print(f"lapis fold fits and thresholds, 1 thread (train less --folds 0): {statistics.median(lapis_folds_s):.3f} s  "
              f"[{', '.join(f'{t:.3f}' for t in lapis_folds_s)}]")
    print(f"sum of the 90 primal objectives: prototype {total_ours:.4f}, LIBLINEAR {total_liblinear:.4f} "
          f"(relative difference {abs(total_ours - total_liblinear) / total_liblinear:.1e})")


if __name__ == "__main__":
    main()
