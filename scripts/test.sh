#!/usr/bin/env bash
# test.sh — THE test command (README, .ci/run). On a fresh machine it
# installs the pinned real Mercurial into .venv/, builds the fixture
# repositories with it into .fixtures/, then checks formatting and clippy
# and runs the whole suite. Tests find hg through QS_HG and the fixtures
# through QS_FIXTURES, both exported here.
#
# Usage: scripts/test.sh [--quick]   (--quick skips fmt and clippy)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1

bash scripts/setup-hg.sh
export QS_HG="$ROOT/.venv/bin/hg"
HG="$QS_HG" bash scripts/make-fixtures.sh
export QS_FIXTURES="$ROOT/.fixtures"

if [[ $QUICK == 0 ]]; then
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -j2 -- -D warnings
fi

if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace -j2 --no-fail-fast
else
    cargo test --workspace -j2 --no-fail-fast
fi
