#!/usr/bin/env bash
# bench.sh — time qs against the pinned real hg on one large generated
# repository, in the same run, and print hg/qs ratios.
#
# The repository (REVS revisions, FILES files; defaults 50000 and 20000) is
# generated once with Mercurial's API (scripts/bench/make-repo.py) and
# cached in .bench/. qs is built in release mode. Each command runs RUNS
# times per tool (default 7); the median wall time is reported.
#
# Usage: scripts/bench.sh [REVS [FILES]]   env: RUNS=N
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REVS="${1:-50000}"
FILES="${2:-20000}"
RUNS="${RUNS:-7}"
bash "$ROOT/scripts/setup-hg.sh"
HG="$ROOT/.venv/bin/hg"
PY="$ROOT/.venv/bin/python"
REPO="$ROOT/.bench/repo-$REVS-$FILES"

if [[ ! -d "$REPO/.hg" ]]; then
    echo "bench: generating $REVS revisions / $FILES files (once; cached in .bench/)" >&2
    mkdir -p "$ROOT/.bench"
    rm -rf "$REPO.tmp"
    start=$(date +%s)
    "$PY" "$ROOT/scripts/bench/make-repo.py" "$REPO.tmp" "$REVS" "$FILES"
    mv "$REPO.tmp" "$REPO"
    echo "bench: generated in $(( $(date +%s) - start ))s" >&2
fi

(cd "$ROOT" && cargo build --release -j2 -q)
QS="$ROOT/target/release/qs"
FILE="$(cd "$REPO" && HGPLAIN=1 "$HG" files -r tip | sed -n '100p')"

exec "$PY" "$ROOT/scripts/bench/compare.py" "$REPO" "$HG" "$QS" "$RUNS" -- \
    "root" \
    "log -r tip" \
    "log -l 1000" \
    "files -r tip" \
    "cat -r tip $FILE" \
    "identify" \
    "heads" \
    "tags" \
    "verify"
