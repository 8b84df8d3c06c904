#!/usr/bin/env python3
"""Draws the real-news development set's story ids (issue #15), deterministically.

Sources are only the Reuters-21578 *train* split and the CNN/DailyMail cased subset: BBC News and
the Reuters test split are final tests and are never read here. Reuters stories are drawn by
stratum so that the four default topics are well represented (Reuters' own categories are used only
to draw, never as labels: our labels come from two annotators under ../shared/LABELS.md).

    python3 Evaluation/devset/sample.py > Evaluation/devset/ids.tsv
"""
import json
import os
import random
import sys

DATA = os.environ.get("LAPIS_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))

# Reuters categories that hint at each default topic, and how many stories to draw per stratum.
STRATA = [
    ("trade", {"trade"}, 45),
    ("transport", {"ship"}, 45),
    ("oil", {"crude", "nat-gas", "fuel", "heat", "gas"}, 35),
    ("commodities", {"grain", "wheat", "corn", "sugar", "coffee", "cocoa", "veg-oil", "oilseed", "soybean", "cotton", "rubber", "tin"}, 30),
    ("economy", {"money-fx", "interest", "gnp", "bop", "cpi", "jobs", "ipi", "reserves", "money-supply"}, 30),
    ("business", {"earn", "acq"}, 35),
]
CNNDM_COUNT = 110


def main():
    rng = random.Random(15)
    reuters = [json.loads(line) for line in open(os.path.join(DATA, "reuters21578", "train.jsonl"), encoding="utf-8")]
    # Headline-only flashes and unprocessed tables give an annotator nothing to read.
    reuters = [r for r in reuters if r["type"] == "NORM" and len(r["text"].split()) >= 60]
    taken = set()
    rows = []
    for stratum, topics, count in STRATA:
        pool = [r for r in reuters if r["id"] not in taken and topics & set(r["topics"])]
        for story in rng.sample(pool, count):
            taken.add(story["id"])
            rows.append(("reuters-train", story["id"], stratum))
    cnndm = [json.loads(line) for line in open(os.path.join(DATA, "cnndm-sample", "test-cased-subset.jsonl"), encoding="utf-8")]
    for story in rng.sample(cnndm, CNNDM_COUNT):
        rows.append(("cnndm-cased", story["id"], "random"))
    rng.shuffle(rows)  # annotators read in this order, so no stratum comes in one block
    print("source\tid\tstratum")
    for row in rows:
        print("\t".join(row))


if __name__ == "__main__":
    sys.exit(main())
