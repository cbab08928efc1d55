#!/usr/bin/env bash
# bench-diff.sh — time `qs diff` / `qs log -p` against the pinned real hg
# on a repository with large changes, in the same run, and print hg/qs
# ratios (scripts/bench/compare.py, which also checks the outputs agree).
#
# The repository (cached in .bench/diff-<stamp>) has a 200,000-line file
# edited in scattered places, 2,000 small files each modified, a binary
# file rewritten and a few renames, in one changeset, plus a working copy
# with the same kind of edits. Not part of scripts/test.sh.
#
# Usage: scripts/bench-diff.sh   env: RUNS=N (default 5)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
bash "$ROOT/scripts/setup-hg.sh"
HG="$ROOT/.venv/bin/hg"
PY="$ROOT/.venv/bin/python"
STAMP="$( { cat "$ROOT/scripts/bench-diff.sh"; "$HG" version -q; } | sha256sum | cut -c1-10)"
REPO="$ROOT/.bench/diff-$STAMP"
export HGPLAIN=1 HGRCPATH= HGUSER=bench TZ=UTC

if [[ ! -d "$REPO/.hg" ]]; then
    echo "bench-diff: generating the repository (once; cached in .bench/)" >&2
    rm -rf "$ROOT/.bench"/diff-* && mkdir -p "$ROOT/.bench"
    tmp="$REPO.tmp" && rm -rf "$tmp" && "$HG" init "$tmp" && cd "$tmp"
    "$PY" - <<'PY'
import os, random
random.seed(1)
os.makedirs("small", exist_ok=True)
with open("big.txt", "w") as f:
    for i in range(200000):
        f.write("line %d %s\n" % (i, "x" * (i % 40)))
for i in range(2000):
    with open("small/f%04d.txt" % i, "w") as f:
        f.write("".join("small %d %d\n" % (i, j) for j in range(30)))
with open("blob.bin", "wb") as f:
    f.write(bytes(random.getrandbits(8) for _ in range(300000)))
PY
    "$HG" commit -qA -m base -d '0 0'
    edit() {
        "$PY" - "$1" <<'PY'
import os, random, sys
random.seed(int(sys.argv[1]))
lines = open("big.txt").read().splitlines(True)
for _ in range(3000):
    i = random.randrange(len(lines))
    lines[i] = "edited %d\n" % random.randrange(10**6)
open("big.txt", "w").write("".join(lines))
for i in range(2000):
    p = "small/f%04d.txt" % i
    if os.path.exists(p):
        with open(p, "a") as f:
            f.write("appended %s\n" % sys.argv[1])
with open("blob.bin", "wb") as f:
    f.write(bytes(random.getrandbits(8) for _ in range(300000)))
PY
    }
    edit 2
    for i in 0 1 2 3 4; do "$HG" mv -q "small/f000$i.txt" "small/renamed-$i.txt"; done
    "$HG" commit -q -m change -d '1 0'
    edit 3
    mv "$tmp" "$REPO"
fi

(cd "$ROOT" && cargo build --release -j2 -q)
QS="$ROOT/target/release/qs"

exec "$PY" "$ROOT/scripts/bench/compare.py" "$REPO" "$HG" "$QS" "$RUNS" -- \
    "diff -c tip" \
    "diff -c tip --git" \
    "diff -c tip --stat" \
    "log -p -r tip" \
    "diff --nodates" \
    "diff --git --stat"
