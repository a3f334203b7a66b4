#!/usr/bin/env bash
# Set up the environment (idempotent) and run the test suite: unit tests,
# then the learning tests (marked `learning`). Arguments go to pytest, e.g.
#   bash tools/run_tests.sh -m "not learning"
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$REPO/tools/setup_env.sh"
VENV="$(bash "$REPO/tools/setup_env.sh" --print-venv)"
cd "$REPO"
exec "$VENV/bin/python" -m pytest "$@"
