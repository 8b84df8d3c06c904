#!/usr/bin/env python3
"""Check that `lapis evaluate summaries` agrees with Google's rouge-score to 1e-4 on every pair.

Pairs (candidate, reference), built from the shared data at run time (deterministic, --seed):
  cnndm       500 pairs (--pairs) from cnndm-sample/test.jsonl; reference = the highlights (one per
              line). Candidates vary so that scores spread from 0 to 1:
                40% Lead-3 (first 3 sentences), 30% 1-5 random sentences of the same story
                (in story order), 20% 3 random sentences of another story, 5% the reference
                itself, 5% the reference with its words shuffled and its sentences cut in two.
              Sentences of the lower-cased, PTB-tokenized text end with a " . ", " ! " or " ? "
              token (a closing quote or bracket token right after it stays with the sentence).
  bbc         100 pairs (--bbc-pairs, 0 to skip) from bbc-news-summary/articles.jsonl:
              reference = the summary split into sentences by a regex, candidate = Lead-3 of
              the text (same splitter). Cased text with Unicode punctuation and currency signs.
  cnndm-cased 50 pairs (--cased-pairs, 0 to skip) from cnndm-sample/test-cased-subset.jsonl:
              reference = the cased highlights, candidate = Lead-3 by the regex splitter.
Both fields of a pair hold one sentence per line ("\\n").

The pairs go to a temporary JSONL file (outside the repository) with fields id, reference,
candidate, and this runs
    lapis evaluate summaries --data F --reference-field reference --candidate-field candidate
                             --per-story --json
then scores every pair with rouge_score.rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL",
"rougeLsum"], use_stemmer=True).score(reference, candidate) and compares precision, recall and F1
of each metric for each pair, plus the means over the pairs. Reported per pair set: max |diff| per
metric and field, the number of pairs with any |diff| > tolerance, the worst pair ids.
Exit status: 0 when every pair of every set agrees within --tolerance (1e-4), 1 otherwise,
2 on a usage or data error.

Usage (from the repository root):
  PY=$(bash Evaluation/pyenv.sh)
  "$PY" Evaluation/compare_rouge.py                       # needs .build/release/lapis
  "$PY" Evaluation/compare_rouge.py --skip-lapis          # rouge-score side only (sanity/spread)
  "$PY" Evaluation/compare_rouge.py --write-pairs /tmp/pairs.jsonl   # pairs + expected scores,
        # for debugging the Swift side; refused inside the repository (research-only data)
Options: --data-dir DIR, --lapis PATH, --pairs N, --bbc-pairs N, --cased-pairs N, --seed S,
         --tolerance T, --worst K, --json-out FILE.
"""

from __future__ import annotations

import argparse
import json
import random
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from benchproc import DEFAULT_DATA_DIR, DEFAULT_LAPIS, REPO_ROOT, check_inputs
from textsplit import read_jsonl, split_ptb, split_regex

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")
FIELDS = (("precision", "precision"), ("recall", "recall"), ("f1", "fmeasure"))  # lapis, rouge-score


def die(message: str, code: int = 2) -> None:
    print(f"compare_rouge: {message}", file=sys.stderr)
    sys.exit(code)


# --------------------------------------------------------------------------------------------
# Pairs
# --------------------------------------------------------------------------------------------

def build_cnndm_pairs(rows: list[dict], n: int, rng: random.Random) -> list[dict]:
    stories = [(r["id"], split_ptb(r["text"]), [h for h in r["highlights"].split("\n") if h.strip()])
               for r in rows]
    stories = [s for s in stories if s[1] and s[2]]
    chosen = rng.sample(range(len(stories)), min(n, len(stories)))
    pairs = []
    for k, index in enumerate(chosen):
        sid, sentences, reference = stories[index]
        slot = k % 20
        if slot < 8:
            kind, candidate = "lead3", sentences[:3]
        elif slot < 14:
            kind = "random"
            count = min(len(sentences), rng.randint(1, 5))
            candidate = [sentences[i] for i in sorted(rng.sample(range(len(sentences)), count))]
        elif slot < 18:
            kind = "other-story"
            other = stories[(index + rng.randint(1, len(stories) - 1)) % len(stories)][1]
            count = min(len(other), 3)
            candidate = [other[i] for i in sorted(rng.sample(range(len(other)), count))]
        elif slot == 18:
            kind, candidate = "reference-copy", list(reference)
        else:
            kind = "reference-shuffled"
            words = " ".join(reference).split()
            rng.shuffle(words)
            half = len(words) // 2
            candidate = [" ".join(words[:half]), " ".join(words[half:])]
        candidate = [c for c in candidate if c.strip()]
        pairs.append({"id": f"cnndm-{sid}-{kind}", "set": "cnndm", "kind": kind,
                      "reference": "\n".join(reference), "candidate": "\n".join(candidate)})
    return pairs


def build_regex_lead3_pairs(rows: list[dict], n: int, rng: random.Random, set_name: str,
                            reference_field: str, reference_is_lines: bool) -> list[dict]:
    chosen = sorted(rng.sample(range(len(rows)), min(n, len(rows))))
    pairs = []
    for index in chosen:
        row = rows[index]
        if reference_is_lines:
            reference = [h.strip() for h in row[reference_field].split("\n") if h.strip()]
        else:
            reference = split_regex(row[reference_field])
        candidate = split_regex(row["text"])[:3]
        if not reference or not candidate:
            continue
        pairs.append({"id": f"{set_name}-{row['id']}-lead3", "set": set_name, "kind": "lead3",
                      "reference": "\n".join(reference), "candidate": "\n".join(candidate)})
    return pairs


# --------------------------------------------------------------------------------------------
# Scoring and comparison
# --------------------------------------------------------------------------------------------

def score_with_rouge_score(pairs: list[dict]) -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    for pair in pairs:
        scores = scorer.score(pair["reference"], pair["candidate"])  # (target, prediction)
        pair["expected"] = {m: {ours: float(getattr(scores[m], theirs)) for ours, theirs in FIELDS}
                            for m in METRICS}


def run_lapis(lapis: Path, pairs: list[dict], work: Path) -> dict:
    data = work / "pairs.jsonl"
    with open(data, "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps({"id": p["id"], "reference": p["reference"],
                                "candidate": p["candidate"]}, ensure_ascii=False) + "\n")
    cmd = [str(lapis), "evaluate", "summaries", "--data", str(data),
           "--reference-field", "reference", "--candidate-field", "candidate",
           "--per-story", "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        die(f"command failed (exit {proc.returncode}): {shlex.join(cmd)}\n{proc.stderr[-2000:]}",
            code=1)
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        die(f"lapis did not print JSON ({exc}); first 500 chars: {proc.stdout[:500]!r}", code=1)
    return {}


def compare(pairs: list[dict], lapis_out: dict, tolerance: float, worst: int) -> dict:
    by_id = {}
    for story in lapis_out.get("stories", []):
        by_id[str(story.get("id"))] = story
    report: dict = {}
    for set_name in sorted({p["set"] for p in pairs}, key=["cnndm", "bbc", "cnndm-cased"].index):
        subset = [p for p in pairs if p["set"] == set_name]
        max_diff = {m: {f: 0.0 for f, _ in FIELDS} for m in METRICS}
        missing, malformed, over = [], [], []
        per_pair = []
        for p in subset:
            story = by_id.get(p["id"])
            if story is None:
                missing.append(p["id"])
                continue
            worst_here, where = 0.0, None
            try:
                for m in METRICS:
                    for f, _ in FIELDS:
                        d = abs(float(story[m][f]) - p["expected"][m][f])
                        if d > max_diff[m][f]:
                            max_diff[m][f] = d
                        if d > worst_here:
                            worst_here, where = d, f"{m}.{f}"
            except (KeyError, TypeError, ValueError) as exc:
                malformed.append(f"{p['id']}: {exc!r}")
                continue
            per_pair.append((worst_here, p["id"], where))
            if worst_here > tolerance:
                over.append(p["id"])
        per_pair.sort(reverse=True)
        worst_rows = []
        for d, pid, where in per_pair[:worst]:
            if not where:  # |diff| exactly 0 from here on
                break
            metric, field = where.split(".")
            pair = next(p for p in subset if p["id"] == pid)
            worst_rows.append({"id": pid, "abs_diff": d, "where": where,
                               "lapis": by_id[pid][metric][field],
                               "rouge_score": pair["expected"][metric][field]})
        report[set_name] = {"pairs": len(subset), "compared": len(per_pair),
                            "missing_ids": missing, "malformed": malformed,
                            "pairs_over_tolerance": len(over), "over_ids": over[:50],
                            "max_abs_diff": max_diff, "worst": worst_rows}

    # Means over all stories, as rouge-score's usual aggregation by mean.
    mean_diff = {}
    for m in METRICS:
        for f, _ in FIELDS:
            expected = sum(p["expected"][m][f] for p in pairs) / len(pairs)
            try:
                mean_diff[f"{m}.{f}"] = abs(float(lapis_out[m][f]) - expected)
            except (KeyError, TypeError, ValueError):
                mean_diff[f"{m}.{f}"] = None
    report["means_over_all_pairs_abs_diff"] = mean_diff
    report["extra_ids_from_lapis"] = len(set(by_id) - {p["id"] for p in pairs})
    return report


def describe_expected(pairs: list[dict]) -> None:
    print("rouge-score on the pairs (F1; mean / min / max):")
    sets = sorted({p["set"] for p in pairs}, key=["cnndm", "bbc", "cnndm-cased"].index)
    for set_name in sets:
        subset = [p for p in pairs if p["set"] == set_name]
        kinds = sorted({p["kind"] for p in subset})
        print(f"  {set_name}: {len(subset)} pairs ("
              + ", ".join(f"{k} {sum(p['kind'] == k for p in subset)}" for k in kinds) + ")")
        for m in METRICS:
            values = [p["expected"][m]["f1"] for p in subset]
            print(f"    {m:9s} {sum(values) / len(values):.4f} / {min(values):.4f} / "
                  f"{max(values):.4f}")


def inside_repo(path: Path) -> bool:
    try:
        path.resolve().relative_to(REPO_ROOT)
        return True
    except ValueError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help="folder holding cnndm-sample/ and bbc-news-summary/ "
                             "(default: %(default)s)")
    parser.add_argument("--lapis", type=Path, default=DEFAULT_LAPIS,
                        help="lapis binary (default: %(default)s)")
    parser.add_argument("--pairs", type=int, default=500, help="CNN/DM pairs (default 500)")
    parser.add_argument("--bbc-pairs", type=int, default=100, help="BBC pairs (default 100)")
    parser.add_argument("--cased-pairs", type=int, default=50,
                        help="pairs from the cased CNN/DM subset (default 50)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--worst", type=int, default=5, help="worst pairs listed per set")
    parser.add_argument("--skip-lapis", action="store_true",
                        help="only build the pairs and score them with rouge-score")
    parser.add_argument("--write-pairs", type=Path,
                        help="also write the pairs with rouge-score's scores to this JSONL file "
                             "(must be outside the repository)")
    parser.add_argument("--json-out", type=Path, help="write the comparison report as JSON")
    args = parser.parse_args()

    cnndm = args.data_dir / "cnndm-sample" / "test.jsonl"
    bbc = args.data_dir / "bbc-news-summary" / "articles.jsonl"
    cased = args.data_dir / "cnndm-sample" / "test-cased-subset.jsonl"
    needed = [cnndm] + ([bbc] if args.bbc_pairs else []) + ([cased] if args.cased_pairs else [])
    lapis = args.lapis.resolve()
    check_inputs(die, needed, None if args.skip_lapis else lapis)
    if args.write_pairs and inside_repo(args.write_pairs):
        die("--write-pairs must be outside the repository (the texts are research-only data)")
    try:
        import rouge_score  # noqa: F401
    except ImportError:
        die("rouge-score is not importable: run with the venv python, "
            "PY=$(bash Evaluation/pyenv.sh); \"$PY\" Evaluation/compare_rouge.py ...")

    rng = random.Random(args.seed)
    pairs = build_cnndm_pairs(read_jsonl(cnndm), args.pairs, rng)
    if args.bbc_pairs:
        pairs += build_regex_lead3_pairs(read_jsonl(bbc), args.bbc_pairs, rng, "bbc",
                                         "summary", reference_is_lines=False)
    if args.cased_pairs:
        pairs += build_regex_lead3_pairs(read_jsonl(cased), args.cased_pairs, rng, "cnndm-cased",
                                         "highlights", reference_is_lines=True)
    ids = [p["id"] for p in pairs]
    if len(ids) != len(set(ids)):
        die("internal error: duplicate pair ids", code=1)
    score_with_rouge_score(pairs)
    describe_expected(pairs)

    if args.write_pairs:
        with open(args.write_pairs, "w", encoding="utf-8") as f:
            for p in pairs:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        print(f"pairs written to {args.write_pairs}")
    if args.skip_lapis:
        print("--skip-lapis: lapis not run, nothing compared")
        return

    with tempfile.TemporaryDirectory(prefix="lapis-rouge-") as tmp:
        lapis_out = run_lapis(lapis, pairs, Path(tmp))
    report = compare(pairs, lapis_out, args.tolerance, args.worst)

    failed = False
    print(f"\nlapis evaluate summaries vs rouge-score (tolerance {args.tolerance:g}):")
    for set_name, r in report.items():
        if not isinstance(r, dict) or "pairs" not in r:
            continue
        bad = r["pairs_over_tolerance"] or r["missing_ids"] or r["malformed"]
        failed |= bool(bad)
        print(f"  [{set_name}] {r['compared']}/{r['pairs']} pairs compared, "
              f"{r['pairs_over_tolerance']} over tolerance"
              + (f", {len(r['missing_ids'])} missing" if r["missing_ids"] else "")
              + (f", {len(r['malformed'])} malformed" if r["malformed"] else "")
              + ("  FAIL" if bad else "  ok"))
        print("    max |diff|   " + "  ".join(f"{f:>9s}" for f, _ in FIELDS))
        for m in METRICS:
            print(f"    {m:11s}  " + "  ".join(f"{r['max_abs_diff'][m][f]:9.2e}" for f, _ in FIELDS))
        for w in r["worst"]:
            print(f"    worst: {w['id']}  {w['where']}  lapis {float(w['lapis']):.6f}  "
                  f"rouge-score {w['rouge_score']:.6f}  |diff| {w['abs_diff']:.2e}")
        for line in r["malformed"][:5]:
            print(f"    malformed: {line}")
        if r["missing_ids"]:
            print(f"    missing ids (first 5): {r['missing_ids'][:5]}")
    means = report["means_over_all_pairs_abs_diff"]
    numeric = [v for v in means.values() if v is not None]
    means_bad = len(numeric) != len(means) or (numeric and max(numeric) > args.tolerance)
    failed |= bool(means_bad)
    print(f"  means over all {len(pairs)} pairs: max |diff| "
          f"{max(numeric) if numeric else float('nan'):.2e}"
          + (f" ({len(means) - len(numeric)} means missing)" if len(numeric) != len(means) else "")
          + ("  FAIL" if means_bad else "  ok"))
    if report["extra_ids_from_lapis"]:
        print(f"  note: lapis printed {report['extra_ids_from_lapis']} ids that are not pairs")
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2) + "\n")
    print("RESULT: " + ("FAIL" if failed else "PASS"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
