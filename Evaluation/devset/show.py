#!/usr/bin/env python3
"""Prints development-set stories for an annotator, read from ../shared/data at run time.

    python3 Evaluation/devset/show.py 1 20     # stories 1..20 of ids.tsv, in its order

Only title and text are shown: never the source's own categories, which would bias the reader.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("LAPIS_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))


def load_texts():
    texts = {}
    for line in open(os.path.join(DATA, "reuters21578", "train.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        texts[("reuters-train", r["id"])] = (r["title"], r["text"])
    for line in open(os.path.join(DATA, "cnndm-sample", "test-cased-subset.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        texts[("cnndm-cased", r["id"])] = ("", r["text"])
    return texts


def main():
    first, last = int(sys.argv[1]), int(sys.argv[2])
    rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(HERE, "ids.tsv"), encoding="utf-8")][1:]
    texts = load_texts()
    for number, (source, story_id, _) in enumerate(rows, start=1):
        if first <= number <= last:
            title, text = texts[(source, story_id)]
            print(f"=== {number}  id={story_id}  ({len(text.split())} words)")
            if title:
                print(f"TITLE: {title}")
            print(text)
            print()


if __name__ == "__main__":
    main()
