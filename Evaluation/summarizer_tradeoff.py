#!/usr/bin/env python3
"""Can one summarizer, deciding per story from the story alone, win both CNN/DM and BBC (issue 16)?

    PY=$(bash Evaluation/pyenv.sh)
    "$PY" Evaluation/summarizer_tradeoff.py [--lapis .build/release/lapis]

Fit halves only (CNN/DM: the first 1,000 stories of cnndm-sample/test.jsonl; BBC: the stories
with odd file numbers), as issue 16 allows for choosing: the reported halves are not read.
ROUGE-1 / ROUGE-2 / ROUGE-Lsum F1 x 100 by rouge-score with stemming, with bench_summarizer.py's
sentence splitting and references. Prints, per dataset:
  - Lead-3 and `lapis summarize --method default` (positional) and `--method textrank`;
  - a per-story switch: textrank for stories of at most T words (or sentences), positional for
    longer ones, for a range of T (the "length preference decided per story" of the issue);
  - simple length heuristics: the 3 longest sentences, the first + the 2 longest, and the 3
    longest among the first K sentences.
Reads ../shared/data at run time (research data, never copied); exits with a message when absent.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_summarizer as B  # noqa: E402  (the benchmark's splitter, references and scorer)

DATA = HERE.parent.parent / "shared" / "data"
PATHS = {"cnndm": DATA / "cnndm-sample" / "test.jsonl", "bbc": DATA / "bbc-news-summary" / "articles.jsonl"}
METRICS = ("rouge1", "rouge2", "rougeLsum")


def fit_rows(dataset, rows):
    if dataset == "cnndm":
        return rows[:1000]
    return [r for r in rows if B.is_odd_bbc_id(str(r["id"]))]


def lapis_summaries(lapis, method, path):
    out = subprocess.run(B.lapis_cmd(Path(lapis), method, path), capture_output=True, text=True, check=True).stdout
    return {str(json.loads(line)["id"]): json.loads(line)["summary"] for line in out.splitlines() if line.strip()}


def mean(scores):
    return " / ".join("%.2f" % (100 * sum(s[k] for s in scores) / len(scores)) for k in range(len(METRICS)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lapis", default=str(HERE.parent / ".build" / "release" / "lapis"))
    args = parser.parse_args()
    if not all(p.exists() for p in PATHS.values()):
        sys.exit(f"summarizer_tradeoff: {DATA} is absent: the CNN/DM sample and BBC News Summary are read from there")
    scorer = B.rouge_scorer()
    for dataset, path in PATHS.items():
        rows = fit_rows(dataset, B.read_jsonl(path))
        sentences = {str(r["id"]): [s for p in B.story_paragraphs(dataset, r["text"]) for s in p] for r in rows}
        refs = {str(r["id"]): "\n".join(B.references(dataset, r)) for r in rows}
        words = {str(r["id"]): len(r["text"].split()) for r in rows}
        count = {i: len(s) for i, s in sentences.items()}

        def score(candidates):
            return {i: tuple(scorer.score(refs[i], "\n".join(candidates[i]))[m].fmeasure for m in METRICS) for i in refs}

        def heuristic(choose):
            return score({i: [s[k] for k in sorted(choose(s))] for i, s in sentences.items()})

        def longest(s, among):
            return sorted(range(min(among, len(s))), key=lambda k: -len(s[k].split()))[:3]

        per = {"lead3": heuristic(lambda s: range(min(3, len(s))))}
        for method in ("default", "textrank"):
            per[method] = score(lapis_summaries(args.lapis, method, path))
        median_words = sorted(words.values())[len(words) // 2]
        print(f"{dataset}: {len(refs)} fit-half stories, median {median_words} words; R-1 / R-2 / R-Lsum")
        for name in ("lead3", "default", "textrank"):
            print(f"  {name:28} {mean(list(per[name].values()))}")
        for feature, values, thresholds in (("words", words, (200, 300, 400, 500, 600, 800)), ("sentences", count, (10, 15, 20, 25, 30, 40))):
            for t in thresholds:
                chosen = [per["textrank"][i] if values[i] <= t else per["default"][i] for i in refs]
                share = sum(values[i] <= t for i in refs) / len(refs)
                print(f"  textrank if {feature} <= {t:<4} {mean(chosen)}   (textrank on {share:.0%})")
        print(f"  {'3 longest':28} {mean(list(heuristic(lambda s: longest(s, len(s))).values()))}")
        print(f"  {'first + 2 longest':28} {mean(list(heuristic(lambda s: ([0] + sorted(range(1, len(s)), key=lambda k: -len(s[k].split()))[:2]) if s else []).values()))}")
        for k in (4, 6, 10):
            print(f"  {f'3 longest of first {k}':28} {mean(list(heuristic(lambda s, k=k: longest(s, k)).values()))}")


if __name__ == "__main__":
    main()
