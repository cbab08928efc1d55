#!/usr/bin/env bash
# bench-commit.sh — time `qs commit` against `hg commit` of 10,000 changed
# files on two identical copies of one repository, and print the ratio.
#
# Usage: scripts/bench-commit.sh [FILES]   (default 10000)
#   HG=<path> overrides the hg used (default: .venv/bin/hg).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HG="${HG:-$ROOT/.venv/bin/hg}"
N="${1:-10000}"
[[ -x "$HG" ]] || bash "$ROOT/scripts/setup-hg.sh"
cargo build --release -q -p qs-cli --manifest-path "$ROOT/Cargo.toml"
QS="${CARGO_TARGET_DIR:-$ROOT/target}/release/qs"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export HGPLAIN=1 HGRCPATH= HGUSER=bench TZ=UTC LANG=C LC_ALL=C

"$HG" init -q "$WORK/base"
(
    cd "$WORK/base"
    for i in $(seq 1 "$N"); do
        d="dir$((i % 100))"
        mkdir -p "$d"
        printf 'file %d\nline two\n' "$i" > "$d/f$i"
    done
    "$HG" add -q
    "$HG" commit -q -m base -d '0 0'
    for i in $(seq 1 "$N"); do
        echo "changed" >> "dir$((i % 100))/f$i"
    done
)
cp -a "$WORK/base" "$WORK/hg"
cp -a "$WORK/base" "$WORK/qs"

elapsed() {
    local start end
    start=$(date +%s.%N)
    (cd "$1" && shift && "$@" >/dev/null)
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

t_hg=$(elapsed "$WORK/hg" "$HG" commit -q -m change -d '1 0')
t_qs=$(elapsed "$WORK/qs" "$QS" commit -q -m change -d '1 0')
"$HG" -R "$WORK/qs" verify -q
same=$([[ "$("$HG" -R "$WORK/hg" id -i)" == "$("$HG" -R "$WORK/qs" id -i)" ]] && echo yes || echo NO)
printf 'commit of %d changed files: hg %.3fs, qs %.3fs, hg/qs %.1fx (same node: %s)\n' \
    "$N" "$t_hg" "$t_qs" "$(echo "$t_hg / $t_qs" | bc -l)" "$same"
