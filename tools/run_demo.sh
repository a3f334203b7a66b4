#!/usr/bin/env bash
# Set up the environment (idempotent) and run the main job on bundled data:
# generate the scene-text data, train and evaluate every method, print the
# metrics and where the outputs went. Arguments go to tools/demo.py.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$REPO/tools/setup_env.sh"
VENV="$(bash "$REPO/tools/setup_env.sh" --print-venv)"
cd "$REPO"
exec "$VENV/bin/python" tools/demo.py "$@"
