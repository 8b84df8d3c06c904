# Sourced by the Spark checks (spark_pipe_check.sh, spark_cluster_check.sh): Java and a
# virtualenv with pyspark pinned. Defines:
#   spark_ensure_java            install Debian's openjdk-17-jre-headless when java is missing
#                                (needs root and apt; Spark 3.5 runs on Java 8, 11, 17 and 21)
#   spark_python VENV LOG_PREFIX print VENV's python, creating VENV and installing
#                                pyspark==$spark_pyspark_version there from PyPI when needed
spark_pyspark_version="3.5.9"

spark_ensure_java() {
    command -v java >/dev/null && return 0
    printf '%s: java is missing: installing openjdk-17-jre-headless\n' "${1:-spark}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >&2
}

spark_python() {
    local venv="$1" prefix="${2:-spark}"
    if [ ! -x "$venv/bin/python" ]; then
        printf '%s: creating virtualenv at %s\n' "$prefix" "$venv" >&2
        mkdir -p "$(dirname "$venv")"
        "${PYTHON:-python3}" -m venv "$venv"
    fi
    [ -f "$venv/.gitignore" ] || printf '*\n' > "$venv/.gitignore"
    if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$spark_pyspark_version')" >/dev/null 2>&1; then
        printf '%s: installing pyspark==%s into %s\n' "$prefix" "$spark_pyspark_version" "$venv" >&2
        "$venv/bin/python" -m pip install --disable-pip-version-check --quiet "pyspark==$spark_pyspark_version" >&2
    fi
    printf '%s\n' "$venv/bin/python"
}
