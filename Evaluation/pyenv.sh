#!/usr/bin/env bash
# Create (if missing) the Python environment for the Evaluation/ scripts and print its python.
#
# Usage:
#   PY=$(bash Evaluation/pyenv.sh)        # messages go to stderr, the python path to stdout
#   "$PY" Evaluation/bench_classifier.py --skip-lapis
#
# - The virtualenv lives at Evaluation/.venv (a .gitignore with "*" is written inside it, so git
#   never picks it up even without an entry in the repo's .gitignore).
# - Packages are the pinned versions in Evaluation/requirements.txt, installed from PyPI with pip.
# - Idempotent: pip runs again only when requirements.txt changed since the last successful
#   install (a copy of it is kept as .venv/.requirements.installed) or the venv is broken.
# - Environment: PYTHON=python3.11 to choose the interpreter that creates the venv (default python3).
#
# NLTK data (punkt) is NOT needed and never downloaded: rouge-score only uses NLTK's Porter
# stemmer (pure code), and the scripts give sumy pre-split sentences through their own tokenizer
# object (sentences split by a regex suited to each dataset, words by NLTK's Treebank word
# tokenizer with preserve_line=True, which needs no data). See bench_summarizer.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements.txt"
stamp="$venv/.requirements.installed"
py="$venv/bin/python"
base_python="${PYTHON:-python3}"

log() { printf 'pyenv.sh: %s\n' "$*" >&2; }

if [ ! -x "$py" ] || ! "$py" -c 'import sys' >/dev/null 2>&1; then
    log "creating virtualenv at $venv (with $("$base_python" --version 2>&1))"
    rm -rf "$venv"
    "$base_python" -m venv "$venv"
fi
[ -f "$venv/.gitignore" ] || printf '*\n' > "$venv/.gitignore"

if [ -f "$stamp" ] && cmp -s "$req" "$stamp" \
    && "$py" -c 'import sklearn, sumy, rouge_score, numpy, scipy, psutil, threadpoolctl' >/dev/null 2>&1; then
    log "up to date"
else
    log "installing pinned packages from $req"
    "$py" -m pip install --disable-pip-version-check --quiet -r "$req" >&2
    "$py" -c 'import sklearn, sumy, rouge_score, numpy, scipy, psutil, threadpoolctl' >&2
    cp "$req" "$stamp"
    log "installed: $("$py" -m pip freeze --disable-pip-version-check | tr '\n' ' ')"
fi

echo "$py"
