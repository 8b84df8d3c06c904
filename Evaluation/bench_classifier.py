#!/usr/bin/env python3
"""Lapis vs scikit-learn on Reuters-21578 (ModApte, 90 topics): quality, time and memory.

Both systems train on ``reuters21578/train.jsonl`` and classify ``reuters21578/test.jsonl``,
side by side, alternately, for R rounds; the table reports medians over the rounds.

scikit-learn anchor (one subprocess per job, so peak RSS is that job's own):
  train:    read train.jsonl, TfidfVectorizer(sublinear_tf=True, min_df=2) on title + "\\n" + text,
            MultiLabelBinarizer over the train topics,
            OneVsRestClassifier(LogisticRegression(solver="liblinear", C=10, class_weight="balanced")),
            then pickle the model (the pickling is timed apart).
  classify: load the model, read test.jsonl, vectorize, decision_function; a label is predicted
            when its decision value is > 0 (what OneVsRestClassifier.predict does), its score is
            the logistic of the decision value; one JSON line per story is written (timed apart).
  "train s" / "classify s" for scikit-learn are the in-process times of exactly those steps
  (interpreter start-up and imports excluded, which favours scikit-learn); "job s" columns are
  the wall time of the whole subprocess, for both systems.
  OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the environment of the scikit-learn
  children only (they slow a current numpy, see the machine notes); the output records whether
  they were set and which BLAS kernel the child then ran (threadpoolctl). Thread-count variables
  (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, ...) are passed on unchanged and recorded.

lapis:
  train:    lapis train --data train.jsonl --text-field text --title-field title
                        --label-field topics --output M.lapis --quiet
  classify: lapis classify --model M.lapis --format jsonl test.jsonl   (stdout to a file)
  floor:    lapis train --data train.jsonl --text-field text --title-field title
                        --label-field type --folds 0 --output F.lapis --quiet
            (reading, tokenising, TF-IDF and the save, three trivial labels: almost no fitting),
            compared with scikit-learn's TfidfVectorizer.fit_transform alone ("vectorize_s" of
            its train job, in-process); printed as lapis/sklearn.
  text floor: the floor's command with --max-iterations 1. The three "trivial" labels
            (NORM/BRIEF/UNPROC) take the L-BFGS fits dozens of iterations, about 45% of the
            floor's samples under perf (2026-12-07); one iteration leaves only the text
            pipeline and the save. Printed beside the floor, against the same fit_transform.
  one thread: the train command with LAPIS_THREADS=1 (issue 19's per-core comparison).
  "train s" / "classify s" for lapis are the whole process's wall time.

Other anchors (issue 19), run when their PyPI packages import (pinned in requirements.txt;
--skip-anchors leaves them out). Each trains and then classifies the test split in one
subprocess; "train s" is its in-process read + vectorize + fit, "classify s" its in-process
vectorize + predict:
  LIBLINEAR: the official package (liblinear-official), solver -s 7 (dual coordinate descent for
            L2-regularised logistic regression), -c 10 -B 1, each label's two classes weighted
            n / (2 n_class) as "balanced", on scikit-learn's TfidfVectorizer matrix (same options
            as the scikit-learn anchor); the 90 labels dealt between two processes (most
            positives first), since the package fits on one thread. A label is predicted when its
            decision value is > 0.
  fastText: fasttext-wheel (fastText 0.9.2), train_supervised(loss="ova", wordNgrams=2,
            epoch=50, lr=1.0, thread=2), the rest fastText's defaults; text lowercased, split
            into word and punctuation tokens; a label is predicted when its probability is >= 0.5
            (lr and cut chosen on the training split by fasttext_anchor_settings.py).

Issue 19's targets are printed as a second table, each with the ratio measured in this run.
  Quality is computed by this script from the labels that classify printed, with the same
  sklearn.metrics code as for scikit-learn (micro and macro P/R/F1 over the 90 train labels,
  zero_division=0); it is cross-checked once against ``lapis evaluate --json``.

Peak RSS is each job's own, measured by GNU time (see benchproc.py for why not os.wait4).
"train MB/s" and "classify MB/s" are the size of train.jsonl / test.jsonl in bytes / 1e6 / train s / classify s.

Usage (from the repository root):
  PY=$(bash Evaluation/pyenv.sh)
  nice "$PY" Evaluation/bench_classifier.py                      # both systems, 3 rounds
  nice "$PY" Evaluation/bench_classifier.py --skip-lapis --rounds 1
  nice "$PY" Evaluation/bench_classifier.py --lapis-train-flags="--solver dual-cd"   # another lapis solver
  "$PY" Evaluation/bench_classifier.py --rounds 5 --json-out /tmp/clf.json --markdown
Options: --data-dir DIR (default ../shared/data from the repository root),
         --lapis PATH (default .build/release/lapis), --rounds R, --skip-lapis,
         --skip-anchors, --lapis-train-flags=FLAGS, --json-out FILE, --markdown, --keep-temp.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import pickle
import re
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchproc import DEFAULT_DATA_DIR, DEFAULT_LAPIS, check_inputs, machine_info, run_timed_or_die as run_timed, warn_if_busy

BLAS_CORE_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
WORKER = "_worker"
# The other anchors of issue 19, run when their PyPI packages import (see requirements.txt).
ANCHORS = {"LIBLINEAR": "LIBLINEAR -s 7 (dual CD), 2 processes, on scikit-learn's TF-IDF",
           "fastText": "fastText supervised, ova loss, bigrams, 50 epochs, lr 1.0, 2 threads"}
ANCHOR_MODULES = {"LIBLINEAR": "liblinear.liblinearutil", "fastText": "fasttext"}


# --------------------------------------------------------------------------------------------
# Small shared helpers
# --------------------------------------------------------------------------------------------

def die(message: str, code: int = 2) -> None:
    print(f"bench_classifier: {message}", file=sys.stderr)
    sys.exit(code)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def doc_text(doc: dict) -> str:
    return (doc.get("title") or "") + "\n" + (doc.get("text") or "")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------------------------
# scikit-learn workers (run as subprocesses: `python bench_classifier.py _worker train|classify`)
# --------------------------------------------------------------------------------------------

def blas_report() -> list[dict]:
    try:
        from threadpoolctl import threadpool_info
        keys = ("internal_api", "version", "architecture", "num_threads", "threading_layer")
        return [{k: info.get(k) for k in keys} for info in threadpool_info()]
    except Exception as exc:  # diagnostic only
        return [{"error": repr(exc)}]


def read_and_vectorize(train_path: Path):
    """The scikit-learn anchor's reading and TF-IDF (the LIBLINEAR anchor fits on the same matrix):
    returns the clock at the start, after reading and after vectorising, the documents, the label
    binarizer, the targets, the vectorizer and the matrix."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import MultiLabelBinarizer

    t0 = time.perf_counter()
    docs = read_jsonl(train_path)
    texts = [doc_text(d) for d in docs]
    t_read = time.perf_counter()
    binarizer = MultiLabelBinarizer()
    y = binarizer.fit_transform([d["topics"] for d in docs])
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2)
    x = vectorizer.fit_transform(texts)
    t_vec = time.perf_counter()
    return (t0, t_read, t_vec), docs, binarizer, y, vectorizer, x


def worker_train(train_path: Path, model_path: Path, report_path: Path) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    (t0, t_read, t_vec), docs, binarizer, y, vectorizer, x = read_and_vectorize(train_path)
    model = OneVsRestClassifier(LogisticRegression(solver="liblinear", C=10,
                                                   class_weight="balanced"))
    model.fit(x, y)
    t_fit = time.perf_counter()
    with open(model_path, "wb") as f:
        pickle.dump({"vectorizer": vectorizer, "binarizer": binarizer, "model": model}, f,
                    protocol=pickle.HIGHEST_PROTOCOL)
    t_save = time.perf_counter()
    report = {"read_s": t_read - t0, "vectorize_s": t_vec - t_read, "fit_s": t_fit - t_vec,
              "work_s": t_fit - t0, "save_s": t_save - t_fit, "documents": len(docs),
              "features": int(x.shape[1]), "labels": len(binarizer.classes_),
              "blas": blas_report()}
    report_path.write_text(json.dumps(report))


def worker_classify(model_path: Path, test_path: Path, out_path: Path, report_path: Path) -> None:
    import numpy as np
    from scipy.special import expit
    # Import what unpickling needs before the clock starts (imports are not timed in-process).
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    import sklearn.multiclass  # noqa: F401
    import sklearn.preprocessing  # noqa: F401

    t0 = time.perf_counter()
    with open(model_path, "rb") as f:
        bundle = pickle.load(f)
    vectorizer, model = bundle["vectorizer"], bundle["model"]
    classes = list(bundle["binarizer"].classes_)
    t_load = time.perf_counter()
    docs = read_jsonl(test_path)
    texts = [doc_text(d) for d in docs]
    t_read = time.perf_counter()
    x = vectorizer.transform(texts)
    decision = np.asarray(model.decision_function(x))
    if decision.ndim == 1:  # a single label: keep the (n, 1) shape
        decision = decision[:, None]
    predicted = decision > 0.0
    scores = expit(decision)
    t_pred = time.perf_counter()
    with open(out_path, "w", encoding="utf-8") as out:
        for i, doc in enumerate(docs):
            row = {"id": doc.get("id"),
                   "labels": [classes[j] for j in np.flatnonzero(predicted[i])],
                   "scores": {c: round(float(s), 6) for c, s in zip(classes, scores[i])}}
            out.write(json.dumps(row) + "\n")
    t_write = time.perf_counter()
    report = {"load_s": t_load - t0, "read_s": t_read - t_load, "predict_s": t_pred - t_read,
              "work_s": t_pred - t0, "write_s": t_write - t_pred, "documents": len(docs),
              "blas": blas_report()}
    report_path.write_text(json.dumps(report))


# LIBLINEAR's own Python package, solver 7 (dual coordinate descent for L2 logistic regression,
# Yu, Huang & Lin 2011), C=10, bias term -B 1, each label's classes weighted as "balanced";
# the labels split between two processes ("two threads": the package itself is one-threaded).
_LIBLINEAR_PROBLEM = None


def liblinear_label_fit(problem, positive_rows, options: str = ""):
    """One label's LIBLINEAR `-s 7 -c 10 -B 1` fit on `problem` (its targets overwritten: +1 on
    `positive_rows`, -1 elsewhere), classes weighted n / (2 n_class) as "balanced"; `options`
    adds to LIBLINEAR's (e.g. "-e 0.1"). Returns the weights and the bias of the positive class."""
    import numpy as np
    from liblinear.liblinearutil import parameter, train
    targets = np.full(problem.l, -1.0)
    targets[positive_rows] = 1.0
    np.ctypeslib.as_array(problem.y, (problem.l,))[:] = targets
    n_pos = len(positive_rows)
    w_pos = problem.l / (2.0 * n_pos)
    w_neg = problem.l / (2.0 * (problem.l - n_pos))
    model = train(problem, parameter(f"-s 7 -c 10 -B 1 -q {options} -w1 {w_pos!r} -w-1 {w_neg!r}"))
    w, b = model.get_decfun()
    sign = 1.0 if model.get_labels()[0] == 1 else -1.0
    return sign * np.asarray(w), sign * b


def _liblinear_fit_labels(job: tuple[list[int], list]) -> list[tuple[int, "object", float]]:
    label_ids, columns = job
    return [(j, *liblinear_label_fit(_LIBLINEAR_PROBLEM, rows)) for j, rows in zip(label_ids, columns)]


def worker_liblinear(train_path: Path, test_path: Path, out_path: Path, report_path: Path,
                     processes: int) -> None:
    global _LIBLINEAR_PROBLEM
    import multiprocessing
    import numpy as np
    from liblinear.liblinearutil import problem as ll_problem

    (t0, t_read, t_vec), docs, binarizer, y, vectorizer, x = read_and_vectorize(train_path)
    _LIBLINEAR_PROBLEM = ll_problem(np.zeros(x.shape[0]), x)
    positives = [np.flatnonzero(y[:, j]) for j in range(y.shape[1])]
    # Most positives first, dealt round-robin: the two processes get similar work.
    order = sorted(range(y.shape[1]), key=lambda j: -len(positives[j]))
    jobs = [(order[k::processes], [positives[j] for j in order[k::processes]])
            for k in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        fitted = [item for part in pool.map(_liblinear_fit_labels, jobs) for item in part]
    weights = np.zeros((y.shape[1], x.shape[1]))
    bias = np.zeros(y.shape[1])
    for j, w, b in fitted:
        weights[j] = w[: x.shape[1]]
        bias[j] = b
    t_fit = time.perf_counter()

    test_docs = read_jsonl(test_path)
    decision = np.asarray(vectorizer.transform([doc_text(d) for d in test_docs]) @ weights.T) + bias
    t_pred = time.perf_counter()
    classes = list(binarizer.classes_)
    with open(out_path, "w", encoding="utf-8") as out:
        for i, doc in enumerate(test_docs):
            out.write(json.dumps({"id": doc.get("id"),
                                  "labels": [classes[j] for j in np.flatnonzero(decision[i] > 0)]})
                      + "\n")
    report = {"read_s": t_read - t0, "vectorize_s": t_vec - t_read, "fit_s": t_fit - t_vec,
              "work_s": t_fit - t0, "classify_s": t_pred - t_fit, "processes": processes,
              "documents": len(docs), "features": int(x.shape[1]), "labels": len(classes)}
    report_path.write_text(json.dumps(report))


# fastText (the PyPI wheel of fastText 0.9.2), supervised, one-vs-all loss, word bigrams,
# 50 epochs, two threads, learning rate 1.0, other settings at fastText's defaults; a label is
# predicted when its probability is at least 0.5. The learning rate and the cut were chosen on
# an 80/20 split of the training split (fasttext_anchor_settings.py; 2026-12-07: lr 1.0 and
# cut 0.5 gave the best micro- and macro-F1 of lr 0.1-2.0 and cuts 0.1-0.5). Text lowercased
# and split into word and punctuation tokens.
FASTTEXT_LEARNING_RATE = 1.0
FASTTEXT_TOKEN = re.compile(r"\w+|[^\w\s]")


def fasttext_line(doc: dict) -> str:
    return " ".join(FASTTEXT_TOKEN.findall(doc_text(doc).lower()))


def worker_fasttext(train_path: Path, test_path: Path, out_path: Path, report_path: Path,
                    train_file: Path) -> None:
    import fasttext

    t0 = time.perf_counter()
    docs = read_jsonl(train_path)
    with open(train_file, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(" ".join(f"__label__{t}" for t in d["topics"]) + " " + fasttext_line(d) + "\n")
    t_read = time.perf_counter()
    model = fasttext.train_supervised(input=str(train_file), loss="ova", wordNgrams=2, epoch=50,
                                      lr=FASTTEXT_LEARNING_RATE, thread=2, verbose=0)
    t_fit = time.perf_counter()
    test_docs = read_jsonl(test_path)
    with open(out_path, "w", encoding="utf-8") as out:
        for doc in test_docs:
            # model.f.predict: the wrapper's predict() fails under NumPy 2 (np.array(copy=False)).
            predicted = model.f.predict(fasttext_line(doc), -1, 0.5, "strict")
            out.write(json.dumps({"id": doc.get("id"),
                                  "labels": [label[len("__label__"):] for _, label in predicted]})
                      + "\n")
    t_pred = time.perf_counter()
    report = {"read_s": t_read - t0, "fit_s": t_fit - t_read, "work_s": t_fit - t0,
              "classify_s": t_pred - t_fit, "documents": len(docs)}
    report_path.write_text(json.dumps(report))


def worker_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog=f"bench_classifier.py {WORKER}")
    parser.add_argument("job", choices=["train", "classify", "liblinear", "fasttext"])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--test", type=Path)
    parser.add_argument("--processes", type=int, default=2)
    a = parser.parse_args(argv)
    if a.job == "train":
        worker_train(a.data, a.model, a.report)
    elif a.job == "classify":
        worker_classify(a.model, a.data, a.out, a.report)
    elif a.job == "liblinear":
        worker_liblinear(a.data, a.test, a.out, a.report, a.processes)
    else:  # --model names the training file fastText reads (its input format)
        worker_fasttext(a.data, a.test, a.out, a.report, a.model)


# --------------------------------------------------------------------------------------------
# Quality: identical code for both systems
# --------------------------------------------------------------------------------------------

def quality(gold_docs: list[dict], predictions_path: Path, classes: list[str]) -> dict:
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    predicted_by_id: dict[str, list[str]] = {}
    unknown = 0
    with open(predictions_path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                die(f"{predictions_path}:{line_no}: not JSON ({exc}): {line[:200]!r}", code=1)
            labels = row.get("labels") or []
            unknown += sum(1 for label in labels if label not in classes)
            predicted_by_id[str(row.get("id"))] = [label for label in labels if label in classes]
    missing = [d["id"] for d in gold_docs if str(d["id"]) not in predicted_by_id]
    if missing:
        die(f"{predictions_path}: {len(missing)} test ids have no prediction "
            f"(first: {missing[:5]})", code=1)

    binarizer = MultiLabelBinarizer(classes=classes)
    y_true = binarizer.fit_transform([[t for t in d["topics"] if t in classes] for d in gold_docs])
    y_pred = binarizer.transform([predicted_by_id[str(d["id"])] for d in gold_docs])
    result: dict = {"unknown_predicted_labels": unknown}
    for average in ("micro", "macro"):
        p, r, f1, _ = precision_recall_fscore_support(y_true, y_pred, average=average,
                                                      zero_division=0)
        result[average] = {"precision": float(p), "recall": float(r), "f1": float(f1)}
    p, r, f1, support = precision_recall_fscore_support(y_true, y_pred, average=None,
                                                        zero_division=0)
    result["labels"] = {c: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f1[i]),
                            "support": int(support[i])} for i, c in enumerate(classes)}
    return result


# --------------------------------------------------------------------------------------------
# One round of each system
# --------------------------------------------------------------------------------------------

def sklearn_env() -> tuple[dict, dict]:
    env = dict(os.environ)
    note = {}
    for var in BLAS_CORE_VARS:
        if var in env:
            note[var] = f"was {env.pop(var)!r}, unset for the scikit-learn children"
        else:
            note[var] = "not set"
    return env, note


def run_sklearn_round(paths: dict, work: Path, round_no: int, env: dict) -> dict:
    model = work / f"sklearn-{round_no}.pkl"
    train_report = work / f"sklearn-train-{round_no}.json"
    predictions = work / f"sklearn-pred-{round_no}.jsonl"
    classify_report = work / f"sklearn-classify-{round_no}.json"
    me = [sys.executable, str(Path(__file__).resolve()), WORKER]
    train = run_timed(me + ["train", "--data", str(paths["train"]), "--model", str(model),
                            "--report", str(train_report)],
                      work / f"sklearn-train-{round_no}.out", env=env)
    train["inner"] = json.loads(train_report.read_text())
    classify = run_timed(me + ["classify", "--data", str(paths["test"]), "--model", str(model),
                               "--out", str(predictions), "--report", str(classify_report)],
                         work / f"sklearn-classify-{round_no}.out", env=env)
    classify["inner"] = json.loads(classify_report.read_text())
    return {"train": train, "classify": classify, "predictions": predictions,
            "train_s": train["inner"]["work_s"], "classify_s": classify["inner"]["work_s"]}


def run_anchor_round(job: str, paths: dict, work: Path, round_no: int, env: dict) -> dict:
    """One LIBLINEAR or fastText job: train in-process, then predict the test split in the same
    process (timed apart); "train_s" and "classify_s" are those in-process times."""
    report = work / f"{job}-{round_no}.json"
    predictions = work / f"{job}-pred-{round_no}.jsonl"
    me = [sys.executable, str(Path(__file__).resolve()), WORKER]
    train = run_timed(me + [job, "--data", str(paths["train"]), "--test", str(paths["test"]),
                            "--model", str(work / f"{job}-{round_no}.txt"),
                            "--out", str(predictions), "--report", str(report)],
                      work / f"{job}-{round_no}.out", env=env)
    train["inner"] = json.loads(report.read_text())
    return {"train": train, "predictions": predictions,
            "train_s": train["inner"]["work_s"], "classify_s": train["inner"]["classify_s"]}


def run_lapis_round(lapis: Path, paths: dict, work: Path, round_no: int, train_flags: list[str] = ()) -> dict:
    model = work / f"lapis-{round_no}.lapis"
    predictions = work / f"lapis-pred-{round_no}.jsonl"

    def train_job(name: str, output: Path, options: list[str], env: dict | None = None) -> dict:
        return run_timed([str(lapis), "train", "--data", str(paths["train"]), "--text-field", "text",
                          "--title-field", "title"] + options + ["--output", str(output), "--quiet"],
                         work / f"lapis-{name}-{round_no}.out", env=env)

    train = train_job("train", model, ["--label-field", "topics", *train_flags])
    classify = run_timed([str(lapis), "classify", "--model", str(model), "--format", "jsonl",
                          str(paths["test"])], predictions)
    # The floor: the same reading, tokenising, TF-IDF and save with almost no fitting (three
    # labels, no threshold folds), against scikit-learn's TfidfVectorizer.fit_transform alone.
    floor = train_job("floor", work / f"floor-{round_no}.lapis", ["--label-field", "type", "--folds", "0"])
    text_floor = train_job("text-floor", work / f"text-floor-{round_no}.lapis",
                           ["--label-field", "type", "--folds", "0", "--max-iterations", "1"])
    # Per core: the same training on one thread (issue 19 compares it with scikit-learn's fit).
    one_thread = train_job("1t", work / f"lapis-1t-{round_no}.lapis", ["--label-field", "topics", *train_flags],
                           env={**os.environ, "LAPIS_THREADS": "1"})
    return {"train": train, "classify": classify, "floor": floor, "text_floor": text_floor,
            "one_thread": one_thread, "predictions": predictions, "model": model,
            "train_s": train["wall_s"], "classify_s": classify["wall_s"]}


def lapis_cross_check(lapis: Path, model: Path, test: Path, ours: dict, work: Path) -> dict:
    out = work / "lapis-evaluate.json"
    run_timed([str(lapis), "evaluate", "--model", str(model), "--data", str(test),
               "--label-field", "topics", "--json"], out)
    try:
        theirs = json.loads(out.read_text())
    except json.JSONDecodeError as exc:
        return {"error": f"lapis evaluate --json did not print JSON: {exc}"}
    diffs = {}
    for average in ("micro", "macro"):
        for key in ("precision", "recall", "f1"):
            try:
                diffs[f"{average}.{key}"] = abs(float(theirs[average][key]) - ours[average][key])
            except (KeyError, TypeError, ValueError):
                diffs[f"{average}.{key}"] = None
    numeric = [v for v in diffs.values() if v is not None]
    return {"lapis_evaluate": {k: theirs.get(k) for k in ("micro", "macro")},
            "abs_diff": diffs, "max_abs_diff": max(numeric) if numeric else None,
            "agrees_1e-4": bool(numeric) and len(numeric) == len(diffs) and max(numeric) <= 1e-4}


# --------------------------------------------------------------------------------------------
# Summaries and output
# --------------------------------------------------------------------------------------------

def summarise_anchor(rounds: list[dict], train_bytes: int) -> dict:
    out = {"rounds": len(rounds),
           "train_s": median([r["train_s"] for r in rounds]),
           "train_s_all": [r["train_s"] for r in rounds],
           "train_job_s": median([r["train"]["wall_s"] for r in rounds]),
           "classify_s": median([r["classify_s"] for r in rounds]),
           "train_peak_rss_mib": median([r["train"]["peak_rss_mib"] for r in rounds]),
           "fit_s": median([r["train"]["inner"]["fit_s"] for r in rounds])}
    if all("vectorize_s" in r["train"]["inner"] for r in rounds):
        out["vectorize_s"] = median([r["train"]["inner"]["vectorize_s"] for r in rounds])
    out["train_mb_per_s"] = train_bytes / 1e6 / out["train_s"]
    return out


def summarise(rounds: list[dict], train_bytes: int, test_bytes: int) -> dict:
    train_s = [r["train_s"] for r in rounds]
    classify_s = [r["classify_s"] for r in rounds]
    out = {
        "rounds": len(rounds),
        "train_s": median(train_s), "train_s_all": train_s,
        "train_job_s": median([r["train"]["wall_s"] for r in rounds]),
        "classify_s": median(classify_s), "classify_s_all": classify_s,
        "classify_job_s": median([r["classify"]["wall_s"] for r in rounds]),
        "train_peak_rss_mib": median([r["train"]["peak_rss_mib"] for r in rounds]),
        "classify_peak_rss_mib": median([r["classify"]["peak_rss_mib"] for r in rounds]),
        "train_cpu_s": median([r["train"]["user_s"] + r["train"]["sys_s"] for r in rounds]),
        "classify_cpu_s": median([r["classify"]["user_s"] + r["classify"]["sys_s"]
                                  for r in rounds]),
    }
    if all("floor" in r for r in rounds):
        out["floor_s"] = median([r["floor"]["wall_s"] for r in rounds])
        out["floor_peak_rss_mib"] = median([r["floor"]["peak_rss_mib"] for r in rounds])
        out["floor_cpu_s"] = median([r["floor"]["cpu_s"] for r in rounds])
    if all("text_floor" in r for r in rounds):
        out["text_floor_s"] = median([r["text_floor"]["wall_s"] for r in rounds])
        out["text_floor_cpu_s"] = median([r["text_floor"]["cpu_s"] for r in rounds])
    if all("one_thread" in r for r in rounds):
        out["one_thread_train_s"] = median([r["one_thread"]["wall_s"] for r in rounds])
        out["one_thread_train_s_all"] = [r["one_thread"]["wall_s"] for r in rounds]
    if all("inner" in r["train"] for r in rounds):
        out["vectorize_s"] = median([r["train"]["inner"]["vectorize_s"] for r in rounds])
    out["train_mb_per_s"] = train_bytes / 1e6 / out["train_s"]
    out["classify_mb_per_s"] = test_bytes / 1e6 / out["classify_s"]
    out["classify_job_mb_per_s"] = test_bytes / 1e6 / out["classify_job_s"]
    return out


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def issue19_targets(results: dict) -> list[dict]:
    """Issue 19's targets, each measured in this run: (what, value, comparison, target, met)."""
    systems = results["systems"]
    sk, la = systems.get("scikit-learn"), systems.get("lapis")
    ll = systems.get("LIBLINEAR")
    if not (sk and la):
        return []
    rows = [
        ("train: scikit-learn's in-process read+vectorize+fit / lapis train (whole job)",
         ratio(sk["train_s"], la["train_s"]), ">=", 8.0),
        ("train: LIBLINEAR -s 7 on 2 processes, TF-IDF included / lapis train",
         ratio(ll["train_s"], la["train_s"]) if ll else None, ">=", 2.0),
        ("micro-F1 (test split)", la["quality"]["micro"]["f1"], ">=", 0.889),
        ("macro-F1 (test split)", la["quality"]["macro"]["f1"], ">=", 0.606),
        ("lapis train / its floor", ratio(la["train_s"], la.get("floor_s")), "<=", 2.0),
        ("floor / scikit-learn's TfidfVectorizer.fit_transform",
         ratio(la.get("floor_s"), sk.get("vectorize_s")), "<=", 0.5),
        ("text floor / scikit-learn's TfidfVectorizer.fit_transform",
         ratio(la.get("text_floor_s"), sk.get("vectorize_s")), "<=", 0.5),
        ("classify: scikit-learn's in-process load+read+vectorize+predict / lapis classify (whole job)",
         ratio(sk["classify_s"], la["classify_s"]), ">=", 3.0),
        ("one thread: scikit-learn's in-process train / LAPIS_THREADS=1 lapis train",
         ratio(sk["train_s"], la.get("one_thread_train_s")), ">=", 4.0),
    ]
    out = []
    for what, value, comparison, target in rows:
        met = None if value is None else (value >= target if comparison == ">=" else value <= target)
        out.append({"target": what, "value": value, "comparison": comparison, "goal": target,
                    "met": met})
    return out


def target_lines(targets: list[dict]) -> tuple[list[str], list[list[str]]]:
    header = ["issue 19 target", "measured", "goal", "met"]
    rows = [[t["target"], fmt(t["value"], 4 if "F1" in t["target"] else 2),
             f"{'≥' if t['comparison'] == '>=' else '≤'} {t['goal']}",
             "-" if t["met"] is None else ("yes" if t["met"] else "no")] for t in targets]
    return header, rows


def fmt(value, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table_rows(results: dict) -> tuple[list[str], list[list[str]]]:
    header = ["system", "micro-F1", "macro-F1", "train s", "train job s", "train MB/s", "classify s",
              "classify job s", "classify MB/s", "train RSS MiB", "classify RSS MiB"]
    rows = []
    for name in ("scikit-learn", "lapis", "LIBLINEAR", "fastText"):
        s = results["systems"].get(name)
        if not s:
            continue
        q = s["quality"]
        if name in ANCHORS:
            # Train and classify in one process: no whole-job classify time or memory of its own.
            rows.append([ANCHORS[name], fmt(q["micro"]["f1"], 4), fmt(q["macro"]["f1"], 4),
                         fmt(s["train_s"], 2), fmt(s["train_job_s"], 2), fmt(s["train_mb_per_s"], 2),
                         fmt(s["classify_s"], 3), "-", "-", fmt(s["train_peak_rss_mib"], 1), "-"])
            continue
        rows.append([name, fmt(q["micro"]["f1"], 4), fmt(q["macro"]["f1"], 4),
                     fmt(s["train_s"], 2), fmt(s["train_job_s"], 2), fmt(s["train_mb_per_s"], 2), fmt(s["classify_s"], 3),
                     fmt(s["classify_job_s"], 3), fmt(s["classify_mb_per_s"], 2),
                     fmt(s["train_peak_rss_mib"], 1), fmt(s["classify_peak_rss_mib"], 1)])
    r = results.get("ratios")
    if r:
        rows.append(["sklearn/lapis", "", "", fmt(r["train_s"], 2), fmt(r["train_job_s"], 2), "",
                     fmt(r["classify_s"], 2), fmt(r["classify_job_s"], 2), "",
                     fmt(r["train_peak_rss"], 2), fmt(r["classify_peak_rss"], 2)])
    return header, rows


def print_plain(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for row in rows:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))


def print_markdown(results: dict, header: list[str], rows: list[list[str]]) -> None:
    m = results["machine"]
    print()
    print(f"### Reuters-21578 ModApte classifier benchmark, {results['date']}")
    print()
    print(f"- machine: {m['nproc']} cores, {m['cpu_model']}, {m['ram_gib']} GiB RAM, "
          f"Linux {m['kernel']}, load average at start {m['loadavg_at_start']} / end "
          f"{m.get('loadavg_at_end')}, "
          f"niceness {m['niceness']}")
    print(f"- command: `{results['command']}`")
    print(f"- peak RSS: {m['peak_rss_method']}")
    print(f"- rounds: {results['rounds']} (alternating systems; medians shown); "
          f"train.jsonl {results['train_bytes']:,} bytes, "
          f"test.jsonl {results['test_bytes']:,} bytes, {results['test_documents']:,} stories")
    print(f"- scikit-learn {results['versions'].get('scikit-learn')}, numpy "
          f"{results['versions'].get('numpy')}; BLAS variables for its children: "
          + "; ".join(f"{k} {v}" for k, v in results["blas_env"].items())
          + f"; kernel run: {results.get('sklearn_blas_summary')}")
    print("- scikit-learn train/classify s: in-process read+vectorize+fit / load+read+vectorize"
          "+predict; lapis: whole process; job s: whole process for both")
    if "floor" in results:
        fl = results["floor"]
        print(f"- floor (`lapis train --label-field type --folds 0`, whole process) {fmt(fl['lapis_floor_s'], 3)} s "
              f"vs scikit-learn `TfidfVectorizer.fit_transform` in-process {fmt(fl['sklearn_vectorize_s'], 3)} s: "
              f"lapis/sklearn {fmt(fl['lapis_floor_over_sklearn_vectorize'], 2)}")
        if "lapis_text_floor_s" in fl:
            print(f"- text floor (the same with `--max-iterations 1`) {fmt(fl['lapis_text_floor_s'], 3)} s: "
                  f"lapis/sklearn {fmt(fl['lapis_text_floor_over_sklearn_vectorize'], 2)}")
    if "lapis_cross_check" in results:
        cc = results["lapis_cross_check"]
        print(f"- lapis evaluate --json vs this script: max |diff| {fmt(cc.get('max_abs_diff'), 6)}")
    print()
    print_markdown_table(header, rows)
    if results.get("targets"):
        print()
        print_markdown_table(*target_lines(results["targets"]))


def print_markdown_table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == WORKER:
        worker_main(sys.argv[2:])
        return

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help="folder holding reuters21578/ (default: %(default)s)")
    parser.add_argument("--lapis", type=Path, default=DEFAULT_LAPIS,
                        help="lapis binary (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per system (default 3)")
    parser.add_argument("--skip-lapis", action="store_true", help="run the scikit-learn anchor only")
    parser.add_argument("--json-out", type=Path, help="write all results as JSON to this file")
    parser.add_argument("--markdown", action="store_true",
                        help="also print a markdown table with date, machine and command")
    parser.add_argument("--keep-temp", action="store_true", help="keep the temporary folder")
    parser.add_argument("--lapis-train-flags", default="",
                        help="extra flags for lapis's training jobs (e.g. \"--solver dual-cd\"); the floors keep the defaults")
    parser.add_argument("--skip-anchors", action="store_true",
                        help="run neither LIBLINEAR nor fastText (they run when importable)")
    args = parser.parse_args()
    if args.rounds < 1:
        die("--rounds must be at least 1")
    anchors = []
    if not args.skip_anchors:
        import importlib
        for name, module in ANCHOR_MODULES.items():
            try:
                importlib.import_module(module)
                anchors.append(name)
            except ImportError:
                print(f"bench_classifier: {name} skipped: {module} does not import "
                      "(PY=$(bash Evaluation/pyenv.sh) installs it)", file=sys.stderr)

    data = args.data_dir / "reuters21578"
    paths = {"train": data / "train.jsonl", "test": data / "test.jsonl"}
    lapis = args.lapis.resolve()
    check_inputs(die, list(paths.values()), None if args.skip_lapis else lapis)
    try:
        import numpy
        import sklearn
    except ImportError:
        die("scikit-learn is not importable: run with the venv python, "
            "PY=$(bash Evaluation/pyenv.sh); \"$PY\" Evaluation/bench_classifier.py ...")

    train_docs = read_jsonl(paths["train"])
    test_docs = read_jsonl(paths["test"])
    classes = sorted({t for d in train_docs for t in d["topics"]})
    train_bytes = paths["train"].stat().st_size
    test_bytes = paths["test"].stat().st_size
    env, blas_note = sklearn_env()

    results: dict = {
        "benchmark": "reuters21578-modapte-classifier",
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join([sys.executable] + sys.argv),
        "machine": machine_info(), "rounds": args.rounds, "data_dir": str(args.data_dir),
        "train_documents": len(train_docs), "test_documents": len(test_docs),
        "labels": len(classes), "train_bytes": train_bytes, "test_bytes": test_bytes,
        "versions": {"scikit-learn": sklearn.__version__, "numpy": numpy.__version__},
        "blas_env": blas_note,
        "thread_env": {v: os.environ.get(v) for v in THREAD_VARS},
        "systems": {},
    }

    warn_if_busy(results["machine"])
    work = Path(tempfile.mkdtemp(prefix="lapis-bench-clf-"))
    try:
        systems = ["scikit-learn"] + ([] if args.skip_lapis else ["lapis"]) + anchors
        rounds: dict[str, list[dict]] = {name: [] for name in systems}
        for round_no in range(args.rounds):
            order = systems if round_no % 2 == 0 else systems[::-1]
            for system in order:
                print(f"round {round_no + 1}/{args.rounds}: {system} ...", file=sys.stderr,
                      flush=True)
                if system == "scikit-learn":
                    r = run_sklearn_round(paths, work, round_no, env)
                elif system == "lapis":
                    r = run_lapis_round(lapis, paths, work, round_no, shlex.split(args.lapis_train_flags))
                else:
                    r = run_anchor_round(system.lower(), paths, work, round_no, env)
                r["quality"] = quality(test_docs, r["predictions"], classes)
                if system in ANCHORS:
                    print(f"  train {r['train_s']:.2f}s (job {r['train']['wall_s']:.2f}s, "
                          f"{r['train']['peak_rss_mib']:.0f} MiB)  classify {r['classify_s']:.3f}s "
                          f"micro-F1 {r['quality']['micro']['f1']:.4f} macro-F1 "
                          f"{r['quality']['macro']['f1']:.4f}", file=sys.stderr, flush=True)
                    rounds[system].append(r)
                    continue
                print(f"  train {r['train_s']:.2f}s (job {r['train']['wall_s']:.2f}s, "
                      f"{r['train']['peak_rss_mib']:.0f} MiB)  classify {r['classify_s']:.3f}s "
                      f"(job {r['classify']['wall_s']:.3f}s, {r['classify']['peak_rss_mib']:.0f} "
                      f"MiB)  micro-F1 {r['quality']['micro']['f1']:.4f} macro-F1 "
                      f"{r['quality']['macro']['f1']:.4f}", file=sys.stderr, flush=True)
                rounds[system].append(r)

        for system, rs in rounds.items():
            if not rs:
                continue
            s = (summarise_anchor(rs, train_bytes) if system in ANCHORS
                 else summarise(rs, train_bytes, test_bytes))
            s["quality"] = rs[-1]["quality"]
            f1s = {(r["quality"]["micro"]["f1"], r["quality"]["macro"]["f1"]) for r in rs}
            s["quality_identical_across_rounds"] = len(f1s) == 1
            if system == "scikit-learn":
                s["inner_last_round"] = {"train": rs[-1]["train"]["inner"],
                                         "classify": rs[-1]["classify"]["inner"]}
            results["systems"][system] = s

        sk = results["systems"].get("scikit-learn")
        if sk:
            blas = sk["inner_last_round"]["train"].get("blas", [])
            results["sklearn_blas_summary"] = ", ".join(
                f"{b.get('internal_api')} {b.get('version')} {b.get('architecture')} "
                f"x{b.get('num_threads')}" for b in blas if "internal_api" in b) or "none loaded"
        la = results["systems"].get("lapis")
        if sk and la:
            results["ratios"] = {
                "train_s": ratio(sk["train_s"], la["train_s"]),
                "train_job_s": ratio(sk["train_job_s"], la["train_job_s"]),
                "classify_s": ratio(sk["classify_s"], la["classify_s"]),
                "classify_job_s": ratio(sk["classify_job_s"], la["classify_job_s"]),
                "train_peak_rss": ratio(sk["train_peak_rss_mib"], la["train_peak_rss_mib"]),
                "classify_peak_rss": ratio(sk["classify_peak_rss_mib"],
                                           la["classify_peak_rss_mib"]),
            }
        if sk and la and "floor_s" in la:
            results["floor"] = {"lapis_floor_s": la["floor_s"], "sklearn_vectorize_s": sk["vectorize_s"],
                                "lapis_floor_over_sklearn_vectorize": ratio(la["floor_s"], sk["vectorize_s"])}
            if "text_floor_s" in la:
                results["floor"]["lapis_text_floor_s"] = la["text_floor_s"]
                results["floor"]["lapis_text_floor_over_sklearn_vectorize"] = ratio(la["text_floor_s"], sk["vectorize_s"])
        results["targets"] = issue19_targets(results)
        if la:
            results["lapis_cross_check"] = lapis_cross_check(
                lapis, rounds["lapis"][-1]["model"], paths["test"], la["quality"], work)
    finally:
        if args.keep_temp:
            print(f"temporary files kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    try:
        results["machine"]["loadavg_at_end"] = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    header, rows = table_rows(results)
    print()
    print(f"Reuters-21578 ModApte, {len(classes)} labels, {len(test_docs)} test stories; "
          f"medians of {args.rounds} round(s)")
    print_plain(header, rows)
    print("scikit-learn children: " + "; ".join(f"{k} {v}" for k, v in blas_note.items())
          + f"; BLAS: {results.get('sklearn_blas_summary')}")
    if "floor" in results:
        fl = results["floor"]
        print(f"floor: lapis train --label-field type --folds 0 (whole process) {fmt(fl['lapis_floor_s'], 3)} s; "
              f"scikit-learn TfidfVectorizer.fit_transform (in-process) {fmt(fl['sklearn_vectorize_s'], 3)} s; "
              f"lapis/sklearn {fmt(fl['lapis_floor_over_sklearn_vectorize'], 2)}")
        if "lapis_text_floor_s" in fl:
            print(f"text floor: the same with --max-iterations 1 {fmt(fl['lapis_text_floor_s'], 3)} s; "
                  f"lapis/sklearn {fmt(fl['lapis_text_floor_over_sklearn_vectorize'], 2)}")
    if results.get("systems", {}).get("lapis", {}).get("one_thread_train_s") is not None:
        print(f"one thread: LAPIS_THREADS=1 lapis train {fmt(results['systems']['lapis']['one_thread_train_s'], 2)} s")
    if results.get("targets"):
        print()
        print_plain(*target_lines(results["targets"]))
    if "lapis_cross_check" in results:
        cc = results["lapis_cross_check"]
        print(f"lapis evaluate --json vs this script's metrics: max |diff| "
              f"{fmt(cc.get('max_abs_diff'), 6)} ({'agree' if cc.get('agrees_1e-4') else 'DISAGREE'})")
    if args.markdown:
        print_markdown(results, header, rows)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"results written to {args.json_out}", file=sys.stderr)


if __name__ == "__main__":
    main()
