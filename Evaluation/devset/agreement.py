#!/usr/bin/env python3
"""Agreement between the development set's two annotators, per label (issue #15).

    python3 Evaluation/devset/agreement.py              # table: agreement and Cohen's kappa per label
    python3 Evaluation/devset/agreement.py --disagreements   # number, id, label, A, B for each disagreement
    python3 Evaluation/devset/agreement.py --write-labels    # labels.tsv: agreed labels + adjudication.tsv

Annotator A's labels are in annotator-a.tsv, annotator B's in annotator-b-part*.tsv (B labelled in
four parts); both label every story of ids.tsv independently under ../shared/LABELS.md. Reads only
these files (ids and labels), never the stories.
"""
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOPICS = ["trade", "security", "transport", "multilateral"]


def read_labels(paths):
    """{number: (id, set of labels)} from one or more annotation files."""
    rows = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, 1):
                fields = line.rstrip("\n").split("\t")
                if line_number == 1 or not line.strip():
                    continue
                if len(fields) != 3 or not fields[0].isdigit():
                    sys.exit(f"{path}:{line_number}: expected number<TAB>id<TAB>labels")
                labels = {label for label in fields[2].split(",") if label}
                if labels - set(TOPICS):
                    sys.exit(f"{path}:{line_number}: unknown label(s) {sorted(labels - set(TOPICS))}")
                rows[int(fields[0])] = (fields[1], labels)
    return rows


def annotations():
    ids = [line.rstrip("\n").split("\t")[1] for line in open(os.path.join(HERE, "ids.tsv"), encoding="utf-8")][1:]
    a = read_labels([os.path.join(HERE, "annotator-a.tsv")])
    b = read_labels(sorted(glob.glob(os.path.join(HERE, "annotator-b-part*.tsv"))))
    for name, rows in (("annotator A", a), ("annotator B", b)):
        missing = [n for n in range(1, len(ids) + 1) if n not in rows]
        if missing:
            sys.exit(f"{name} has no labels for stories {missing[:10]}{'...' if len(missing) > 10 else ''}")
        wrong = [n for n in rows if n > len(ids) or rows[n][0] != ids[n - 1]]
        if wrong:
            sys.exit(f"{name}: story numbers {wrong[:10]} do not match ids.tsv")
    return ids, a, b


def kappa(pairs):
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    pa, pb = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def write_labels(ids, a, b):
    """labels.tsv: each label as both annotators have it, or as adjudication.tsv decided it."""
    decisions = {}
    for line in open(os.path.join(HERE, "adjudication.tsv"), encoding="utf-8").readlines()[1:]:
        number, story_id, label, decision, _ = line.rstrip("\n").split("\t")
        if ids[int(number) - 1] != story_id or decision not in ("yes", "no"):
            sys.exit(f"adjudication.tsv: bad row for story {number}")
        decisions[(int(number), label)] = decision == "yes"
    rows, used = [], set()
    for number, story_id in enumerate(ids, 1):
        chosen = []
        for label in TOPICS:
            x, y = label in a[number][1], label in b[number][1]
            if x != y:
                if (number, label) not in decisions:
                    sys.exit(f"story {number}: annotators disagree on {label} and adjudication.tsv has no decision")
                x = decisions[(number, label)]
                used.add((number, label))
            if x:
                chosen.append(label)
        rows.append(f"{number}\t{story_id}\t{','.join(chosen)}")
    if used != set(decisions):
        sys.exit(f"adjudication.tsv decides where the annotators agree: {sorted(set(decisions) - used)}")
    with open(os.path.join(HERE, "labels.tsv"), "w", encoding="utf-8") as handle:
        handle.write("number\tid\tlabels\n" + "\n".join(rows) + "\n")


def main():
    ids, a, b = annotations()
    if "--write-labels" in sys.argv:
        write_labels(ids, a, b)
        return
    if "--disagreements" in sys.argv:
        for number in range(1, len(ids) + 1):
            for label in TOPICS:
                x, y = label in a[number][1], label in b[number][1]
                if x != y:
                    print(f"{number}\t{ids[number - 1]}\t{label}\tA={'yes' if x else 'no'}\tB={'yes' if y else 'no'}")
        return
    print(f"{len(ids)} stories, two independent annotators\n")
    print("| label | A yes | B yes | both yes | agreement | Cohen's kappa |")
    print("|---|---:|---:|---:|---:|---:|")
    for label in TOPICS:
        pairs = [(label in a[n][1], label in b[n][1]) for n in range(1, len(ids) + 1)]
        observed, k = kappa(pairs)
        print(f"| {label} | {sum(x for x, _ in pairs)} | {sum(y for _, y in pairs)} | {sum(x and y for x, y in pairs)} | {observed:.3f} | {k:.3f} |")
    exact = sum(a[n][1] == b[n][1] for n in range(1, len(ids) + 1))
    print(f"\nidentical label sets: {exact} of {len(ids)} ({exact / len(ids):.3f})")


if __name__ == "__main__":
    main()
