#!/usr/bin/env bash
# Print the Python interpreter the repository's scripts should use.
#
# - MMTK_USE_CURRENT_ENV=1: the current environment's `python` (an existing
#   MMOCR environment); it must import the stack, else this fails and says
#   what is missing.
# - MMTK_USE_CURRENT_ENV=0: our own environment (tools/setup_env.sh builds or
#   refreshes it first).
# - unset: the current environment when a virtualenv / conda environment is
#   active and already imports the stack, else our own.
# Progress of the set-up goes to stderr; only the interpreter goes to stdout.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OWN_VENV="$(bash "$REPO/tools/setup_env.sh" --print-venv)"

# The imports that mmtextknow and its tests need.
stack_check() {
  (cd / && "$1" -W ignore -c 'import torch, mmcv, mmcv.ops, mmdet, mmengine, mmocr, mmocr.models, open_clip, shapely, scipy, pkg_resources' 2>&1)
}

current_python() { command -v python || command -v python3 || true; }

choice="${MMTK_USE_CURRENT_ENV:-auto}"
if [[ "$choice" == auto ]]; then
  choice=0
  active="${VIRTUAL_ENV:-${CONDA_PREFIX:-}}"
  py="$(current_python)"
  if [[ -n "$active" && "$active" != "$OWN_VENV" && -n "$py" ]] && stack_check "$py" >/dev/null; then
    choice=1
  fi
fi

if [[ "$choice" == 1 ]]; then
  py="$(current_python)"
  [[ -n "$py" ]] || { echo "[env_python] MMTK_USE_CURRENT_ENV=1 but no python on PATH" >&2; exit 1; }
  if ! err="$(stack_check "$py")"; then
    echo "[env_python] MMTK_USE_CURRENT_ENV=1 but $py lacks part of the stack:" >&2
    echo "$err" | tail -3 >&2
    echo "[env_python] install the requirements (docs/get_started.md) or unset MMTK_USE_CURRENT_ENV" >&2
    exit 1
  fi
  echo "[env_python] using the current environment: $py" >&2
  echo "$py"
else
  bash "$REPO/tools/setup_env.sh" >&2
  echo "$OWN_VENV/bin/python"
fi
