#!/usr/bin/env bash
# Run Evaluation/spark_pipe_check.py: lapis classify/summarize under Spark's RDD.pipe must give
# the same lines as one lapis process.
#
# Usage:
#   bash Evaluation/spark_pipe_check.sh [LAPIS_BINARY] [extra spark_pipe_check.py options]
#
# - LAPIS_BINARY defaults to .build/release/lapis if it exists, else .build/debug/lapis.
# - Needs Java (Spark 3.5 runs on Java 8, 11, 17 and 21) and python3 with venv.
# - Python environment: Evaluation/.venv when it exists (made by Evaluation/pyenv.sh), else
#   Evaluation/.venv-spark (created here, with a .gitignore of "*" inside so git ignores it).
#   pyspark (pinned in spark_env.sh) is installed from PyPI with pip when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=Evaluation/spark_env.sh
. "$here/spark_env.sh"

log() { printf 'spark_pipe_check.sh: %s\n' "$*" >&2; }

lapis="${1:-}"
[ $# -gt 0 ] && shift
if [ -z "$lapis" ]; then
    if [ -x "$root/.build/release/lapis" ]; then lapis="$root/.build/release/lapis"; else lapis="$root/.build/debug/lapis"; fi
fi
[ -x "$lapis" ] || { log "no lapis executable at $lapis (run swift build first)"; exit 1; }
command -v java >/dev/null || { log "java is not installed"; exit 1; }

if [ -x "$here/.venv/bin/python" ]; then venv="$here/.venv"; else venv="$here/.venv-spark"; fi
py="$(spark_python "$venv" spark_pipe_check.sh)"

exec "$py" "$here/spark_pipe_check.py" --lapis "$lapis" "$@"
