#!/usr/bin/env bash
# libFuzzer over Lapis's input-facing code: the tokenizer, the sentence splitter (with the
# summarizers and ROUGE on small inputs), the JSONL and CSV readers, the reading of input not
# named by its extension (as standard input is read), the model loader and the report builders.
# Each target runs for FUZZ_SECONDS (default 60) from our seed corpus in
# Sources/LapisFuzz/Seeds/<target>; any crash, sanitizer report or broken invariant fails the
# script. Usage: Evaluation/fuzz.sh [target...]   (FUZZ_SECONDS=10 for a quick run)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
configuration="${FUZZ_CONFIGURATION:-debug}"
scratch=.build-fuzzing
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tokenizer splitter jsonl csv model sniffed report html)

# -DLAPIS_FUZZING swaps the replay runner for libFuzzer's driver, which the entry point finds
# with dlsym: hence --export-dynamic.
swift build --scratch-path "$scratch" -c "$configuration" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DLAPIS_FUZZING -Xlinker --export-dynamic \
  --product lapis-fuzz
binary="$(swift build --scratch-path "$scratch" -c "$configuration" --show-bin-path)/lapis-fuzz"

work="$(mktemp -d "${TMPDIR:-/tmp}/lapis-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
status=0
for target in "${targets[@]}"; do
  seeds="Sources/LapisFuzz/Seeds/$target"
  [ -d "$seeds" ] || { echo "fuzz.sh: unknown target '$target'" >&2; exit 2; }
  # libFuzzer adds new inputs to the first corpus folder: keep the seeds read-only.
  mkdir -p "$work/$target/corpus" "$work/$target/crashes"
  log="$work/$target/log"
  set +e
  LAPIS_FUZZ_TARGET="$target" ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" \
    "$binary" "$work/$target/corpus" "$seeds" \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$work/$target/crashes/" -print_final_stats=1 >"$log" 2>&1
  code=$?
  set -e
  runs="$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -1)"
  if [ "$code" -ne 0 ]; then
    status=1
    echo "fuzz $target: FAILED (exit $code) after ${runs:-?} executions" >&2
    grep -E 'ERROR|invariant|Fatal error|SUMMARY|deadly|Test unit written' "$log" | head -20 >&2 || true
    mkdir -p "$scratch/crashes/$target"
    cp "$work/$target/crashes/"* "$scratch/crashes/$target"/ 2>/dev/null || true
    echo "fuzz $target: crashing inputs copied to $scratch/crashes/$target (replay: LAPIS_FUZZ_TARGET=$target $binary FILE)" >&2
  else
    echo "fuzz $target: ${runs:-?} executions in ${seconds} s, no crash"
  fi
done
exit $status
