#!/usr/bin/env bash
# bench-revset.sh — time revset evaluation (issue 4) in qs against the
# pinned real hg on one large generated repository, in the same run, and
# print hg/qs ratios (and whether both printed the same thing).
#
# The repository (default 100000 revisions, 20000 files; `--small`: 2000
# revisions, 500 files, for checking that the script works) is generated
# once with scripts/bench/make-repo.py — several users, three named
# branches with periodic merges, dates spread over years — and cached in
# .bench/ like scripts/bench.sh does. qs is built in release mode. Timing
# is scripts/bench/compare.py's (hyperfine when installed). Not part of
# scripts/test.sh.
#
# Usage: scripts/bench-revset.sh [--small] [REVS [FILES]]   env: RUNS=N
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == "--small" ]]; then
    shift
    REVS="${1:-2000}"
    FILES="${2:-500}"
else
    REVS="${1:-100000}"
    FILES="${2:-20000}"
fi
RUNS="${RUNS:-5}"
bash "$ROOT/scripts/setup-hg.sh"
HG="$ROOT/.venv/bin/hg"
PY="$ROOT/.venv/bin/python"
STAMP="$( { cat "$ROOT/scripts/bench/make-repo.py"; "$HG" version -q; } | sha256sum | cut -c1-10)"
REPO="$ROOT/.bench/repo-$REVS-$FILES-$STAMP"

if [[ ! -d "$REPO/.hg" ]]; then
    echo "bench-revset: generating $REVS revisions / $FILES files (once; cached in .bench/)" >&2
    mkdir -p "$ROOT/.bench"
    rm -rf "$ROOT/.bench/repo-$REVS-$FILES" "$ROOT/.bench/repo-$REVS-$FILES"-*
    rm -rf "$REPO.tmp"
    start=$(date +%s)
    "$PY" "$ROOT/scripts/bench/make-repo.py" "$REPO.tmp" "$REVS" "$FILES"
    mv "$REPO.tmp" "$REPO"
    echo "bench-revset: generated in $(( $(date +%s) - start ))s" >&2
fi

(cd "$ROOT" && cargo build --release -j2 -q -p qs-cli)
QS="${CARGO_TARGET_DIR:-$ROOT/target}/release/qs"
MID=$(( REVS / 2 ))
# Dates without a zone are read in the local zone: make it the same for both.
export TZ=UTC

exec "$PY" "$ROOT/scripts/bench/compare.py" "$REPO" "$HG" "$QS" "$RUNS" -- \
    "log -q -r 'ancestors(tip) and user(alice)'" \
    "log -q -r 'descendants($MID) and not merge()'" \
    "log -q -r 'branch(default) and date(\">2015\")'" \
    "log -q -r 'only(tip, $MID)'" \
    "log -q -r 'sort(all(), -date)'" \
    "log -q -r 'last(draft(), 10)'" \
    "log -q -r 'file(\"glob:src/**\")'" \
    "log -q -r 'sort(all(), topo)'" \
    "log -q -k change -u bob -d '>2012'"
