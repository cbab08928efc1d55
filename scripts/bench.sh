#!/usr/bin/env bash
# bench.sh — time qs against the pinned real hg on one large generated
# repository, in the same run, and print hg/qs ratios.
#
# The repository (REVS revisions, FILES files; defaults 50000 and 20000) is
# generated once with Mercurial's API (scripts/bench/make-repo.py) and
# cached in .bench/ (regenerated when make-repo.py or the hg version
# changes). qs is built in release mode. Each command runs RUNS times per
# tool (default 7) and the median wall time is reported: measured by
# hyperfine when it is installed (apt-get install hyperfine), else by a
# small internal timing loop (BENCH_TIMER=internal forces the latter).
# rhg (Mercurial's own Rust client) is built from the pinned version's
# sources by scripts/setup-rhg.sh (once, several minutes) and timed beside
# them where it answers natively; BENCH_RHG=0 leaves it out.
# Not part of scripts/test.sh.
#
# Usage: scripts/bench.sh [REVS [FILES]]   env: RUNS=N BENCH_RHG=0|1
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REVS="${1:-50000}"
FILES="${2:-20000}"
RUNS="${RUNS:-7}"
bash "$ROOT/scripts/setup-hg.sh"
HG="$ROOT/.venv/bin/hg"
PY="$ROOT/.venv/bin/python"
STAMP="$( { cat "$ROOT/scripts/bench/make-repo.py"; "$HG" version -q; } | sha256sum | cut -c1-10)"
REPO="$ROOT/.bench/repo-$REVS-$FILES-$STAMP"

if [[ ! -d "$REPO/.hg" ]]; then
    echo "bench: generating $REVS revisions / $FILES files (once; cached in .bench/)" >&2
    mkdir -p "$ROOT/.bench"
    # Older generations of the same size are stale now.
    rm -rf "$ROOT/.bench/repo-$REVS-$FILES" "$ROOT/.bench/repo-$REVS-$FILES"-*
    rm -rf "$REPO.tmp"
    start=$(date +%s)
    "$PY" "$ROOT/scripts/bench/make-repo.py" "$REPO.tmp" "$REVS" "$FILES"
    mv "$REPO.tmp" "$REPO"
    echo "bench: generated in $(( $(date +%s) - start ))s" >&2
fi

(cd "$ROOT" && cargo build --release -j2 -q)
QS="$ROOT/target/release/qs"
FILE="$(cd "$REPO" && HGPLAIN=1 "$HG" files -r tip | sed -n '100p')"
# rhg resolves only revision numbers and hashes natively, not `tip`: the
# numeric forms let it answer by itself.
TIPREV="$(cd "$REPO" && HGPLAIN=1 "$HG" log -r tip -T '{rev}')"

if [[ "${BENCH_RHG:-1}" != 0 ]]; then
    RHG="$(bash "$ROOT/scripts/setup-rhg.sh" --print)"
    export RHG
fi

exec "$PY" "$ROOT/scripts/bench/compare.py" "$REPO" "$HG" "$QS" "$RUNS" -- \
    "root" \
    "log -r tip" \
    "log -l 1000" \
    "files -r tip" \
    "files -r $TIPREV" \
    "cat -r tip $FILE" \
    "cat -r $TIPREV $FILE" \
    "identify" \
    "status" \
    "heads" \
    "tags" \
    "verify"
