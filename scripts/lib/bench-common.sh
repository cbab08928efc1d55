# bench-common.sh — shared by the bench-*.sh scripts (source it):
# the pinned hg, a release build of qs, a scratch directory removed on
# exit, a hermetic environment, a generated tree of files and a timer.
#   Sets ROOT, HG, QS, WORK; defines gen_files and elapsed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HG="${HG:-$ROOT/.venv/bin/hg}"
[[ -x "$HG" ]] || bash "$ROOT/scripts/setup-hg.sh"
cargo build --release -q -p qs-cli --manifest-path "$ROOT/Cargo.toml"
QS="${CARGO_TARGET_DIR:-$ROOT/target}/release/qs"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export HGPLAIN=1 HGRCPATH= HGUSER=bench TZ=UTC LANG=C LC_ALL=C

# gen_files N [TAG]: N files spread over 100 directories in the current
# directory, their content naming TAG.
gen_files() {
    local n="$1" tag="${2:-}" i d
    for i in $(seq 1 "$n"); do
        d="dir$((i % 100))"
        mkdir -p "$d"
        printf 'file %d%s\nline two\n' "$i" "$tag" > "$d/f$i"
    done
}

# elapsed DIR CMD...: seconds CMD takes in DIR (its output discarded).
elapsed() {
    local start end
    start=$(date +%s.%N)
    (cd "$1" && shift && "$@" >/dev/null)
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
