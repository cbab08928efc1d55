#!/usr/bin/env bash
# bench-update.sh — time `qs update` against `hg update` between two
# revisions that differ in every one of 10,000 files (and back), on two
# identical copies of one repository; print the ratios and check that
# both leave the same working directory and status.
#
# Usage: scripts/bench-update.sh [FILES]   (default 10000)
#   HG=<path> overrides the hg used (default: .venv/bin/hg).
set -euo pipefail

N="${1:-10000}"
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-common.sh"

"$HG" init -q "$WORK/base"
(
    cd "$WORK/base"
    gen_files "$N"
    "$HG" add -q
    "$HG" commit -q -m one -d '0 0'
    gen_files "$N" " changed"
    "$HG" commit -q -m two -d '1 0'
)
cp -a "$WORK/base" "$WORK/hg"
cp -a "$WORK/base" "$WORK/qs"

report() {
    local what="$1" t_hg="$2" t_qs="$3"
    printf '%s: hg %.3fs, qs %.3fs, hg/qs %.1fx\n' \
        "$what" "$t_hg" "$t_qs" "$(echo "$t_hg / $t_qs" | bc -l)"
}

t_hg=$(elapsed "$WORK/hg" "$HG" update -q 0)
t_qs=$(elapsed "$WORK/qs" "$QS" update -q 0)
report "update across $N changed files" "$t_hg" "$t_qs"
t_hg=$(elapsed "$WORK/hg" "$HG" update -q 1)
t_qs=$(elapsed "$WORK/qs" "$QS" update -q 1)
report "update back" "$t_hg" "$t_qs"

same=yes
[[ "$("$HG" -R "$WORK/hg" status -A | md5sum)" == "$("$HG" -R "$WORK/qs" status -A | md5sum)" ]] || same=NO
diff -rq -x .hg "$WORK/hg" "$WORK/qs" >/dev/null || same=NO
echo "same working directory and status: $same"
