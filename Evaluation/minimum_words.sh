#!/usr/bin/env bash
# The minimum sentence length of the centrality summarizers (lexrank, textrank, default).
#   bash Evaluation/minimum_words.sh dev     # the sweep that chose it: development data only
#                                            # (first 1,000 CNN/DM sample stories; our corpus)
#   bash Evaluation/minimum_words.sh final   # no minimum vs the chosen 8 words on the final
#                                            # tests (last 1,000 CNN/DM stories; BBC even ids)
# Reads ../shared/data at run time; LAPIS (default .build/release/lapis) is the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
LAPIS=${LAPIS:-.build/release/lapis}
DATA=../shared/data
if [ ! -d "$DATA/cnndm-sample" ] || [ ! -d "$DATA/bbc-news-summary" ]; then
  echo "minimum_words.sh: skipped: $DATA (CNN/DM sample, BBC News Summary) is absent" >&2
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ids() { python3 -c "import json,sys; [print(json.loads(l)['id']) for l in sys.stdin]"; }
head -1000 "$DATA/cnndm-sample/test.jsonl" | ids > "$work/cnn-first.txt"
tail -1000 "$DATA/cnndm-sample/test.jsonl" | ids > "$work/cnn-last.txt"
python3 -c "
import json
for line in open('$DATA/bbc-news-summary/articles.jsonl'):
    i = json.loads(line)['id']
    if int(i.rsplit('/', 1)[-1]) % 2 == 0: print(i)" > "$work/bbc-even.txt"

# One row per data set: method R-1/R-2/R-Lsum (F1 x 100).
row() {   # $1 label, $2 minimum, then evaluate summaries arguments
  local label=$1 minimum=$2; shift 2
  "$LAPIS" evaluate summaries "$@" --method lexrank --method textrank --method default \
    --min-sentence-words "$minimum" -f json -q | python3 -c "
import json, sys
methods = json.load(sys.stdin)['methods']
print('$minimum', '$label', '  '.join(f\"{name} {100*m['rouge1']['f1']:.2f}/{100*m['rouge2']['f1']:.2f}/{100*m['rougeLsum']['f1']:.2f}\" for name, m in methods.items()))"
}
case "${1:-dev}" in
  dev)
    for minimum in 0 2 3 4 5 6 7 8 10; do
      row cnn-first-1000 "$minimum" "$DATA/cnndm-sample/test.jsonl" --only-ids "$work/cnn-first.txt" --reference-field highlights
      row corpus "$minimum" TrainingData/corpus.jsonl --reference-field summary_sentences
    done ;;
  final)
    for minimum in 0 8; do
      row cnn-last-1000 "$minimum" "$DATA/cnndm-sample/test.jsonl" --only-ids "$work/cnn-last.txt" --reference-field highlights
      row bbc-even "$minimum" "$DATA/bbc-news-summary/articles.jsonl" --only-ids "$work/bbc-even.txt" --reference-field summary
    done ;;
  *) echo "usage: minimum_words.sh dev|final" >&2; exit 2 ;;
esac
