#!/usr/bin/env bash
# Compares training recipes for the default topic model (issue #15): for each quoted option
# string, trains on the corpus and prints 3-fold cross-validated macro-F1 on the corpus (seeded
# folds) and macro P/R/F1 on the real-news development set (evaluate.py).
# Usage: bash Evaluation/devset/compare_recipes.sh [CORPUS] -- "" "--ngrams 2" "--threshold-beta 2" ...
# LAPIS=path/to/lapis (default .build/release/lapis). Needs ../shared/data for the development set.
set -euo pipefail
cd "$(dirname "$0")/../.."
LAPIS=${LAPIS:-.build/release/lapis}
CORPUS=TrainingData/corpus.jsonl
if [ $# -gt 0 ] && [ "$1" != "--" ]; then CORPUS=$1; shift; fi
[ "${1:-}" = "--" ] && shift
TOPICS=trade,security,transport,multilateral
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$CORPUS" "$TMP" <<'PY'
import json, random, sys
ids = [json.loads(line)["id"] for line in open(sys.argv[1], encoding="utf-8")]
random.Random(3).shuffle(ids)
for k in range(3):
    open(f"{sys.argv[2]}/fold{k}.txt", "w").write("\n".join(ids[k::3]) + "\n")
PY
for options in "$@"; do
  # shellcheck disable=SC2086  # the options are meant to split into words
  "$LAPIS" train --data "$CORPUS" --labels $TOPICS --output "$TMP/m.lapis" --quiet $options
  dev=$(python3 Evaluation/devset/evaluate.py --lapis "$LAPIS" --model "$TMP/m.lapis" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
m = d["macro"]
print("%.3f (P %.3f R %.3f)" % (m["f1"], m["precision"], m["recall"]))')
  cv=0
  for k in 0 1 2; do
    # shellcheck disable=SC2086
    "$LAPIS" train --data "$CORPUS" --labels $TOPICS --exclude-ids "$TMP/fold$k.txt" --output "$TMP/cv.lapis" --quiet $options
    f=$("$LAPIS" evaluate --model "$TMP/cv.lapis" --data "$CORPUS" --only-ids "$TMP/fold$k.txt" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["macro"]["f1"])')
    cv=$(python3 -c "print($cv + $f / 3)")
  done
  printf '%-45s cv macro-F1 %.3f | dev macro-F1 %s\n' "[${options}]" "$cv" "$dev"
done
