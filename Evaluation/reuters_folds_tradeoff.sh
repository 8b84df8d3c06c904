#!/usr/bin/env bash
# What the threshold cross-validation of `lapis train` buys and costs on Reuters, measured on
# the training split only: a seeded 80/20 split of train.jsonl (the test split is never read),
# `lapis train` with --folds 3 (the default), 2 and 0 (no tuning) on the 80%, each model
# evaluated on the 20%. Prints training time and micro/macro P, R, F1 per setting.
#
# Usage: Evaluation/reuters_folds_tradeoff.sh   (LAPIS=path/to/lapis, DATA=folder of train.jsonl,
#                                                FOLDS="3 2 0")
set -euo pipefail
cd "$(dirname "$0")/.."

data="${DATA:-../shared/data/reuters21578}"
[ -f "$data/train.jsonl" ] || { echo "reuters_folds_tradeoff: $data/train.jsonl not found (set DATA)" >&2; exit 2; }
if [ -z "${LAPIS:-}" ]; then
  swift build -c release --product lapis >&2
  LAPIS="$(swift build -c release --show-bin-path)/lapis"
fi
command -v /usr/bin/time >/dev/null || { echo "reuters_folds_tradeoff: needs GNU time (apt-get install time)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/lapis-folds.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The label set of the whole training split, so a label with no story in the 80% part is
# still a known (never predicted) label when the 20% part is scored.
labels="$(python3 - "$data/train.jsonl" "$work" <<'PY'
import json, random, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
order = list(range(len(lines)))
random.Random(2026).shuffle(order)
cut = int(len(lines) * 0.8)
for name, part in (("fit", sorted(order[:cut])), ("hold", sorted(order[cut:]))):
    with open(f"{sys.argv[2]}/{name}.jsonl", "w", encoding="utf-8") as out:
        out.writelines(lines[i] + "\n" for i in part)
print(",".join(sorted({t for line in lines for t in json.loads(line)["topics"]})))
PY
)"

printf '%-7s %8s %9s %9s %9s %9s %9s %9s\n' folds train_s micro_P micro_R micro_F1 macro_P macro_R macro_F1
for folds in ${FOLDS:-3 2 0}; do
  /usr/bin/time -f '%e' -o "$work/time" "$LAPIS" train --data "$work/fit.jsonl" --label-field topics \
    --labels "$labels" --folds "$folds" --output "$work/model-$folds.lapis" --quiet
  "$LAPIS" evaluate --model "$work/model-$folds.lapis" --data "$work/hold.jsonl" --label-field topics \
    --json > "$work/eval-$folds.json"
  python3 - "$folds" "$(tail -n 1 "$work/time")" "$work/eval-$folds.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[3]))
m, M = d["micro"], d["macro"]
print(f"{sys.argv[1]:<7} {float(sys.argv[2]):8.2f} {m['precision']:9.4f} {m['recall']:9.4f} {m['f1']:9.4f} "
      f"{M['precision']:9.4f} {M['recall']:9.4f} {M['f1']:9.4f}")
PY
done
