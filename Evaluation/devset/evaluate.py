#!/usr/bin/env python3
"""The default topic model (or any model) on our real-news development set (issue #15).

    python3 Evaluation/devset/evaluate.py                       # built-in model, table
    python3 Evaluation/devset/evaluate.py --model m.lapis --json
    python3 Evaluation/devset/evaluate.py --lapis .build/debug/lapis

The development set is 330 stories drawn from the Reuters-21578 *train* split and the CNN/DailyMail
cased subset (ids.tsv, drawn by sample.py), each labelled by two independent annotators under
../shared/LABELS.md and adjudicated (labels.tsv; agreement by agreement.py). Only ids and our labels
are in the repository: the texts are read from ../shared/data (or $LAPIS_DATA) at run time into a
temporary file and handed to `lapis evaluate`. Exits 0 with a message on standard error, evaluating
nothing, when the data folder is absent. Use it to choose methods; never train on it.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.environ.get("LAPIS_DATA", os.path.join(ROOT, "..", "shared", "data"))


def stories():
    """(source, id) -> (title, text) for the sources the development set draws from."""
    texts = {}
    for line in open(os.path.join(DATA, "reuters21578", "train.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        texts[("reuters-train", r["id"])] = (r.get("title") or "", r["text"])
    for line in open(os.path.join(DATA, "cnndm-sample", "test-cased-subset.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        texts[("cnndm-cased", r["id"])] = ("", r["text"])
    return texts


def records():
    """The development set as JSONL records {id, title, text, labels, source}."""
    sources = [line.rstrip("\n").split("\t") for line in open(os.path.join(HERE, "ids.tsv"), encoding="utf-8")][1:]
    labels = [line.rstrip("\n").split("\t") for line in open(os.path.join(HERE, "labels.tsv"), encoding="utf-8")][1:]
    if len(sources) != len(labels) or any(s[1] != l[1] for s, l in zip(sources, labels)):
        sys.exit("devset: labels.tsv does not list the stories of ids.tsv in order")
    texts = stories()
    out = []
    for (source, story_id, _), (_, _, label_text) in zip(sources, labels):
        title, text = texts[(source, story_id)]
        out.append({"id": story_id, "title": title, "text": text,
                    "labels": [x for x in label_text.split(",") if x], "source": source})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lapis", default=os.path.join(ROOT, ".build", "release", "lapis"))
    parser.add_argument("--model", help="a topic model file (default: the built-in model)")
    parser.add_argument("--json", action="store_true", help="lapis evaluate --json output")
    parser.add_argument("--write-jsonl", metavar="FILE", help="also keep the assembled JSONL (outside the repository!)")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(DATA, "reuters21578")) or not os.path.isdir(os.path.join(DATA, "cnndm-sample")):
        print(f"devset: {DATA} is absent (research data is read at run time): nothing evaluated", file=sys.stderr)
        return 0
    if not os.access(args.lapis, os.X_OK):
        sys.exit(f"devset: {args.lapis} not found; run 'swift build -c release' first or give --lapis")
    with tempfile.TemporaryDirectory() as folder:
        path = args.write_jsonl or os.path.join(folder, "devset.jsonl")
        with open(path, "w", encoding="utf-8") as handle:
            for record in records():
                handle.write(json.dumps(record) + "\n")
        command = [args.lapis, "evaluate", "--data", path, "--label-field", "labels"]
        if args.model:
            command += ["--model", args.model]
        if args.json:
            command.append("--json")
        return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
