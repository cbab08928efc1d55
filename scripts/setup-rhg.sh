#!/usr/bin/env bash
# setup-rhg.sh — build rhg (Mercurial's own Rust client) of the pinned
# Mercurial version from its PyPI source distribution, for the benchmarks'
# "faster than rhg" comparison. Cached in .bench/rhg-$VERSION/ (git-ignored);
# the first build takes several minutes. Prints the rhg path with --print.
# Needs the venv of scripts/setup-hg.sh (its pip downloads the sources).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${QS_HG_VERSION:-7.2.4}"
DIR="$ROOT/.bench/rhg-$VERSION"
RHG="$DIR/rhg"
PRINT=0
[[ "${1:-}" == "--print" ]] && PRINT=1

if [[ ! -x "$RHG" ]]; then
    bash "$ROOT/scripts/setup-hg.sh"
    mkdir -p "$DIR"
    if [[ ! -d "$DIR/src/mercurial-$VERSION/rust" ]]; then
        echo "setup-rhg: downloading mercurial-$VERSION sources" >&2
        "$ROOT/.venv/bin/pip" download -q --no-binary :all: --no-deps \
            "mercurial==$VERSION" -d "$DIR/dl"
        mkdir -p "$DIR/src"
        tar xzf "$DIR/dl/mercurial-$VERSION.tar.gz" -C "$DIR/src"
    fi
    echo "setup-rhg: building rhg (release; several minutes the first time)" >&2
    (cd "$DIR/src/mercurial-$VERSION/rust" &&
        CARGO_TARGET_DIR="$DIR/target" cargo build --release -q -j2 -p rhg)
    cp "$DIR/target/release/rhg" "$RHG"
fi
[[ $PRINT == 1 ]] && echo "$RHG"
exit 0
