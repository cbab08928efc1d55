#!/usr/bin/env bash
# make-fixtures.sh — build the test fixture repositories with the pinned hg.
#
# Every scripts/fixtures/<name>.sh (names starting with "_" are helpers)
# builds one repository into .fixtures/<name>/. Builds are cached: a fixture
# is rebuilt only when its inputs change — its script, any
# scripts/fixtures/<name>.* helper, the shared scripts/fixtures/_* files,
# this script, or the hg version — tracked by a hash in
# .fixtures/.stamps/<name>. Fixtures of deleted scripts are removed. Builds
# run in parallel, in a scrubbed environment (see scripts/fixtures/_lib.sh),
# into a temp dir renamed into place only on success, and each is checked
# with `hg verify`. A fixture whose content changed since it was built (a
# command that writes was run on the shared copy: tests must use a scratch
# copy for that) is rebuilt too: .fixtures/.stamps/<name>.content holds a
# hash of every file but caches and the dirstate. Quiet unless something is
# rebuilt (one line per reason) or fails.
#
# Usage: scripts/make-fixtures.sh [--force] [NAME...]
#   HG=<path> overrides the hg used (default: .venv/bin/hg, set up by
#   scripts/setup-hg.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/scripts/fixtures"
OUT="$ROOT/.fixtures"
FORCE=0
ONLY=()
for a in "$@"; do
    case "$a" in
        --force) FORCE=1 ;;
        -*) echo "make-fixtures: unknown option $a" >&2; exit 2 ;;
        *) ONLY+=("$a") ;;
    esac
done

if [[ -z "${HG:-}" ]]; then
    bash "$ROOT/scripts/setup-hg.sh"
    HG="$ROOT/.venv/bin/hg"
fi
mkdir -p "$OUT/.stamps"

# One build at a time per checkout.
exec 9>"$OUT/.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi

HGVERSION="$(env -i HGPLAIN=1 HGRCPATH= "$HG" version -q)"
shared_hash="$( { cat "$ROOT/scripts/make-fixtures.sh"; cat "$SRC"/_* 2>/dev/null || true; echo "$HGVERSION"; } | sha256sum | cut -d' ' -f1)"

fixture_hash() {
    local name="$1"
    { echo "$shared_hash"; for f in "$SRC/$name".*; do echo "== ${f##*/}"; cat "$f"; done; } \
        | sha256sum | cut -d' ' -f1
}

# Hash of a fixture's files (content, mode, symlink targets), except the
# caches and the dirstate that read-only hg commands may rewrite.
content_hash() {
    (
        cd "$1"
        local prune=( \( -path ./.hg/cache -o -path ./.hg/wcache -o -name 'dirstate*' \) -prune -o )
        find . "${prune[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
        find . "${prune[@]}" \( -type f -o -type d \) -printf '%m %p\n' | LC_ALL=C sort
        find . "${prune[@]}" -type l -printf '%p -> %l\n' | LC_ALL=C sort
    ) | sha256sum | cut -d' ' -f1
}

build_one() {
    local name="$1" hash="$2"
    local tmp="$OUT/.tmp-$name" home log
    rm -rf "$tmp"
    home="$(mktemp -d)"
    log="$OUT/.stamps/$name.log"
    if ! env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$home" HGPLAIN=1 HGRCPATH= \
            LANG=C LC_ALL=C TZ=UTC HGENCODING=utf-8 \
            bash "$SRC/$name.sh" "$HG" "$tmp" >"$log" 2>&1; then
        rm -rf "$home"
        echo "make-fixtures: building '$name' failed:" >&2
        sed 's/^/  | /' "$log" >&2
        return 1
    fi
    if [[ -d "$tmp/.hg/store/data" || -f "$tmp/.hg/store/00changelog.i" ]]; then
        if ! env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$home" HGPLAIN=1 HGRCPATH= LANG=C LC_ALL=C \
                "$HG" -R "$tmp" verify -q >>"$log" 2>&1; then
            rm -rf "$home"
            echo "make-fixtures: fixture '$name' fails hg verify:" >&2
            sed 's/^/  | /' "$log" >&2
            return 1
        fi
    fi
    rm -rf "$home" "$OUT/$name"
    mv "$tmp" "$OUT/$name"
    content_hash "$OUT/$name" > "$OUT/.stamps/$name.content"
    echo "$hash" > "$OUT/.stamps/$name"
}

names=()
for script in "$SRC"/*.sh; do
    name="$(basename "$script" .sh)"
    [[ "$name" == _* ]] && continue
    names+=("$name")
done

# Drop fixtures whose script is gone.
for d in "$OUT"/*/; do
    [[ -d "$d" ]] || continue
    name="$(basename "$d")"
    if [[ ! -f "$SRC/$name.sh" ]]; then
        rm -rf "$d" "$OUT/.stamps/$name" "$OUT/.stamps/$name.log"
    fi
done

todo=()
for name in "${names[@]}"; do
    if [[ ${#ONLY[@]} -gt 0 && " ${ONLY[*]} " != *" $name "* ]]; then
        continue
    fi
    hash="$(fixture_hash "$name")"
    if [[ $FORCE == 0 && -d "$OUT/$name/.hg" && "$(cat "$OUT/.stamps/$name" 2>/dev/null)" == "$hash" ]]; then
        if [[ "$(content_hash "$OUT/$name")" == "$(cat "$OUT/.stamps/$name.content" 2>/dev/null)" ]]; then
            continue
        fi
        echo "make-fixtures: '$name' was modified since it was built; rebuilding it" >&2
    fi
    todo+=("$name:$hash")
done

[[ ${#todo[@]} -eq 0 ]] && exit 0

start=$SECONDS
echo "make-fixtures: building ${#todo[@]} fixture(s): $(printf '%s ' "${todo[@]%%:*}")" >&2
# Cached hg results (see crates/qs-cli/tests/common) are stale now.
rm -rf "$OUT/.hg-results"
jobs_max="$(nproc 2>/dev/null || echo 2)"
pids=()
failed=0
for item in "${todo[@]}"; do
    build_one "${item%%:*}" "${item#*:}" &
    pids+=($!)
    if [[ ${#pids[@]} -ge $jobs_max ]]; then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done
if [[ $failed != 0 ]]; then
    exit 1
fi
echo "make-fixtures: done in $((SECONDS - start))s" >&2
