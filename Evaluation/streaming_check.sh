#!/usr/bin/env bash
# Streaming check: `lapis classify` and `lapis summarize` over generated JSONL files of
# growing size (default 100 MB and 1 GB) must keep a peak RSS that does not grow with the
# input. The stories are synthetic (our own word lists), written to a temporary folder
# outside the repository and removed afterwards.
#
# Usage: Evaluation/streaming_check.sh            (SIZES_MB="100 1000", LAPIS=path/to/lapis)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="${SIZES_MB:-100 1000}"
if [ -z "${LAPIS:-}" ]; then
  swift build -c release --scratch-path .build-fuzz-release --product lapis >&2
  LAPIS="$(swift build -c release --scratch-path .build-fuzz-release --show-bin-path)/lapis"
fi
command -v /usr/bin/time >/dev/null || { echo "streaming_check: needs GNU time (apt-get install time)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/lapis-streaming.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# A 100 MB unit of ~2 KB stories; larger inputs repeat it (memory, not content, is measured).
python3 - "$work/unit.jsonl" <<'PY'
import json, random, sys
rng = random.Random(20240601)
subjects = ["The port authority", "Customs officers", "The defence ministry", "Rail operators", "Trade negotiators",
            "The coastguard", "Border police", "Freight companies", "The regional council", "Union leaders"]
verbs = ["announced", "delayed", "rejected", "approved", "reviewed", "criticised", "extended", "suspended"]
objects = ["new tariffs on steel", "a security agreement", "the rail corridor", "night flights", "export quotas",
           "patrols along the border", "container fees", "the ferry timetable", "a summit declaration", "fuel subsidies"]
tails = ["on Monday", "after talks broke down", "despite protests", "for the third time this year",
         "citing rising costs", "under pressure from exporters", "ahead of the summit", "without explanation"]
target = 100 * 1000 * 1000
written = 0
with open(sys.argv[1], "w") as out:
    index = 0
    while written < target:
        sentences = [f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} {rng.choice(tails)}."
                     for _ in range(rng.randint(8, 30))]
        line = json.dumps({"id": f"s{index}", "title": sentences[0][:-1], "text": " ".join(sentences)}) + "\n"
        out.write(line)
        written += len(line)
        index += 1
PY

printf '%-9s %-10s %8s %10s %14s\n' size command stories seconds "peak RSS (MB)"
declare -A peak
for size in $sizes; do
  input="$work/input-$size.jsonl"
  : > "$input"
  for _ in $(seq 1 $(( (size + 99) / 100 ))); do cat "$work/unit.jsonl" >> "$input"; done
  stories=$(wc -l < "$input")
  for command in classify summarize; do
    log="$work/time-$command-$size"
    start=$(date +%s.%N)
    /usr/bin/time -v "$LAPIS" "$command" --format jsonl "$input" 2>"$log" | wc -l > "$work/count"
    end=$(date +%s.%N)
    out=$(cat "$work/count")
    [ "$out" -eq "$stories" ] || { echo "streaming_check: $command wrote $out lines for $stories stories" >&2; cat "$log" >&2; exit 1; }
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    peak[$command-$size]=$kb
    printf '%-9s %-10s %8d %10.1f %14.1f\n' "${size}MB" "$command" "$stories" "$(echo "$end - $start" | bc)" "$(echo "$kb / 1024" | bc -l)"
  done
  rm -f "$input"
done

# The largest input may not need much more memory than the smallest (25% + 32 MB of slack
# for allocator noise).
set -- $sizes
small=$1; large=${!#}
status=0
for command in classify summarize; do
  a=${peak[$command-$small]}; b=${peak[$command-$large]}
  if [ "$b" -gt $(( a + a / 4 + 32768 )) ]; then
    echo "streaming_check: $command peak RSS grew from $((a / 1024)) MB to $((b / 1024)) MB" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "streaming_check: peak RSS does not grow with input size"
exit $status
