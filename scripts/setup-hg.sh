#!/usr/bin/env bash
# setup-hg.sh — install the pinned reference Mercurial into <checkout>/.venv.
#
# Creates (or repairs) a virtualenv `.venv` at the root of the checkout and
# installs `mercurial==$QS_HG_VERSION` (default 7.2.4) from PyPI into it.
# Idempotent: when the venv already holds the pinned version it returns in a
# few tens of milliseconds and prints nothing. Needs only `python3` (with the
# venv module). Prints the path of the hg executable with `--print-hg`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${QS_HG_VERSION:-7.2.4}"
VENV="$ROOT/.venv"
HG="$VENV/bin/hg"
PRINT=0
[[ "${1:-}" == "--print-hg" ]] && PRINT=1

installed_version() {
    # Reading the generated version module is much faster than running hg.
    local f
    f=$(ls "$VENV"/lib/python3*/site-packages/mercurial/__version__.py 2>/dev/null | head -n1) || true
    [[ -n "$f" && -x "$HG" && -x "$VENV/bin/python" ]] || return 0
    sed -n "s/^.*version = b\{0,1\}['\"]\([0-9][^'\"]*\)['\"].*$/\1/p" "$f" | head -n1
}

if [[ "$(installed_version)" != "$VERSION" ]]; then
    PY="${PYTHON:-python3}"
    if ! command -v "$PY" >/dev/null 2>&1; then
        echo "setup-hg: python3 not found; install it (e.g. apt-get install python3 python3-venv)" >&2
        exit 1
    fi
    if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        echo "setup-hg: python3's venv/ensurepip module is missing;" >&2
        echo "  on Debian/Ubuntu: apt-get install python3-venv (or python3.X-venv)" >&2
        exit 1
    fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        rm -rf "$VENV"
        "$PY" -m venv "$VENV"
    fi
    echo "setup-hg: installing mercurial==$VERSION into $VENV" >&2
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            "mercurial==$VERSION" >"$VENV/pip-install.log" 2>&1; then
        cat "$VENV/pip-install.log" >&2
        echo "setup-hg: pip install mercurial==$VERSION failed (log above)" >&2
        exit 1
    fi
    got="$(installed_version)"
    if [[ "$got" != "$VERSION" ]]; then
        echo "setup-hg: expected mercurial $VERSION in $VENV, found '${got}'" >&2
        exit 1
    fi
fi

if [[ $PRINT == 1 ]]; then
    echo "$HG"
fi
