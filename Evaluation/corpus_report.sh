#!/usr/bin/env bash
# Regenerates Evaluation/corpus-report.md: the default recipe measured on our own corpus.
#  - classification: trained on TrainingData minus the fixed held-out ids, scored on those ids
#  - summaries: ROUGE of each summarizer against our editors' summary_sentences on the held-out
#    ids (the supervised scorer is fitted on the other stories only)
# Usage: bash Evaluation/corpus_report.sh [path/to/lapis]   (default: .build/release/lapis)
set -euo pipefail
cd "$(dirname "$0")/.."
LAPIS=${1:-.build/release/lapis}
[ -x "$LAPIS" ] || { echo "corpus_report: $LAPIS not found; run 'swift build -c release' first" >&2; exit 2; }
CORPUS=TrainingData/corpus.jsonl
HELD=Evaluation/heldout-ids.txt
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=Evaluation/corpus-report.md

"$LAPIS" train --data "$CORPUS" --exclude-ids "$HELD" --labels trade,security,transport,multilateral --ngrams 2 --min-df 3 -C 100 --fold-iterations 20 --passage-sentences 3 --phrase-groups TrainingData/phrase-groups.txt --output "$TMP/topics.lapis" --quiet
"$LAPIS" train-summarizer --data "$CORPUS" --exclude-ids "$HELD" --reference-field summary_sentences --output "$TMP/summarizer.lapis" --quiet

{
  echo "# Our corpus: held-out evaluation"
  echo
  echo "Generated $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)) by \`bash Evaluation/corpus_report.sh\`."
  echo "Training: the $(($(wc -l < "$CORPUS") - $(wc -l < "$HELD"))) stories of \`TrainingData/corpus.jsonl\` not listed in \`Evaluation/heldout-ids.txt\`,"
  echo "with the default model's recipe (\`lapis train ... --ngrams 2 --min-df 3 -C 100 --fold-iterations 20 --passage-sentences 3 --phrase-groups TrainingData/phrase-groups.txt\`). Scored on the $(wc -l < "$HELD") held-out stories, run once."
  echo
  echo "## Topics"
  echo
  echo '```'
  "$LAPIS" evaluate --model "$TMP/topics.lapis" --data "$CORPUS" --only-ids "$HELD"
  echo '```'
  echo
  echo "## Summaries against the editors' three summary sentences (held-out stories)"
  echo
  echo '```'
  "$LAPIS" evaluate summaries --data "$CORPUS" --only-ids "$HELD" --reference-field summary_sentences \
    --method lead --method lexrank --method textrank --method default --summarizer-model "$TMP/summarizer.lapis"
  echo '```'
  echo
  echo "\`lead\` is Lead-3; \`default\` the shipped default (position-aware centrality, unsupervised); \`supervised\`"
  echo "the sentence scorer of \`lapis train-summarizer\` fitted on the non-held-out stories only."
} > "$TMP/report.md"
mv "$TMP/report.md" "$OUT"
echo "wrote $OUT" >&2
