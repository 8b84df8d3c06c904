#!/usr/bin/env python3
"""Why sentence length matters on BBC News Summary: on the fit half (odd file numbers) only.

For each story, the "reference sentences" are the story sentences (regex splitter of
textsplit.py) found verbatim in its extractive `summary`. Prints the mean number of story and
reference sentences, and mean ROUGE-1/2 F1 x 100 (rouge-score, stemming) against the summary of
  lead3                 the first three story sentences,
  first 3 of reference  the first three reference sentences, in story order,
  longest 3 of reference the three reference sentences with the most words, in story order,
  longest 3 overall     the three longest story sentences.
The gap between the two reference rows is what the supervised summarizer's length exponent
exploits; the reported (even) half is not read.

Usage: PY=$(bash Evaluation/pyenv.sh); "$PY" Evaluation/bbc_length_check.py [--data-dir DIR]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from rouge_score import rouge_scorer

from benchproc import DEFAULT_DATA_DIR
from textsplit import read_jsonl, split_regex



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args()
    rows = read_jsonl(args.data_dir / "bbc-news-summary" / "articles.jsonl")
    fit = [r for r in rows if int(str(r["id"]).rsplit("/", 1)[-1]) % 2 == 1]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    systems = ["lead3", "first 3 of reference", "longest 3 of reference", "longest 3 overall"]
    totals = {name: [0.0, 0.0] for name in systems}
    sentence_count = reference_count = 0
    for row in fit:
        sentences = split_regex(row["text"])
        reference = row["summary"]
        members = [i for i, sentence in enumerate(sentences) if sentence.strip() and sentence.strip() in reference]
        sentence_count += len(sentences)
        reference_count += len(members)

        def longest(indices: list[int]) -> list[int]:
            return sorted(sorted(indices, key=lambda i: -len(sentences[i].split()))[:3])

        picks = {"lead3": [0, 1, 2], "first 3 of reference": members[:3],
                 "longest 3 of reference": longest(members), "longest 3 overall": longest(list(range(len(sentences))))}
        for name, indices in picks.items():
            candidate = "\n".join(sentences[i] for i in indices if i < len(sentences))
            score = scorer.score(reference, candidate)
            totals[name][0] += score["rouge1"].fmeasure
            totals[name][1] += score["rouge2"].fmeasure
    n = len(fit)
    print(f"BBC fit half (odd file numbers): {n} stories, {sentence_count / n:.1f} sentences and "
          f"{reference_count / n:.1f} reference sentences per story")
    print(f"{'system':24} {'R-1':>6} {'R-2':>6}")
    for name in systems:
        print(f"{name:24} {100 * totals[name][0] / n:6.2f} {100 * totals[name][1] / n:6.2f}")


if __name__ == "__main__":
    main()
