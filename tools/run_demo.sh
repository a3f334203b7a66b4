#!/usr/bin/env bash
# Run the main job on bundled data: generate the scene-text data, train and
# evaluate every method, print the metrics and where the outputs went. Uses
# the current environment when it already has the stack (see
# tools/env_python.sh, MMTK_USE_CURRENT_ENV), else sets up ours first.
# Arguments go to tools/demo.py.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$(bash "$REPO/tools/env_python.sh")"
cd "$REPO"
exec "$PY" tools/demo.py "$@"
