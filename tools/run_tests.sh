#!/usr/bin/env bash
# Run the test suite: unit tests, then the learning tests (marked `learning`).
# Uses the current environment when it already has the stack (see
# tools/env_python.sh, MMTK_USE_CURRENT_ENV), else sets up ours first.
# Arguments go to pytest, e.g.
#   bash tools/run_tests.sh -m "not learning"
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$(bash "$REPO/tools/env_python.sh")"
cd "$REPO"
exec "$PY" -m pytest "$@"
