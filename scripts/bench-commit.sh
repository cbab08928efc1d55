#!/usr/bin/env bash
# bench-commit.sh — time `qs commit` against `hg commit` of 10,000 changed
# files on two identical copies of one repository, and print the ratio.
#
# Usage: scripts/bench-commit.sh [FILES]   (default 10000)
#   HG=<path> overrides the hg used (default: .venv/bin/hg).
set -euo pipefail

N="${1:-10000}"
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-common.sh"

"$HG" init -q "$WORK/base"
(
    cd "$WORK/base"
    gen_files "$N"
    "$HG" add -q
    "$HG" commit -q -m base -d '0 0'
    for i in $(seq 1 "$N"); do
        echo "changed" >> "dir$((i % 100))/f$i"
    done
)
cp -a "$WORK/base" "$WORK/hg"
cp -a "$WORK/base" "$WORK/qs"

t_hg=$(elapsed "$WORK/hg" "$HG" commit -q -m change -d '1 0')
t_qs=$(elapsed "$WORK/qs" "$QS" commit -q -m change -d '1 0')
"$HG" -R "$WORK/qs" verify -q
same=$([[ "$("$HG" -R "$WORK/hg" id -i)" == "$("$HG" -R "$WORK/qs" id -i)" ]] && echo yes || echo NO)
printf 'commit of %d changed files: hg %.3fs, qs %.3fs, hg/qs %.1fx (same node: %s)\n' \
    "$N" "$t_hg" "$t_qs" "$(echo "$t_hg / $t_qs" | bc -l)" "$same"
