#!/usr/bin/env bash
# Turn a fresh machine into a working mmtextknow environment (idempotent).
#
#   bash tools/setup_env.sh            # create/refresh the environment
#   source "$(bash tools/setup_env.sh --print-venv)/bin/activate"
#
# What it does (each step is skipped when already done):
#   1. creates a Python 3.11 virtual environment at $MMTK_VENV
#      (default: ~/.cache/mmtextknow/venv), shared by every clone on this machine;
#   2. installs the known-good stack from requirements/constraints.txt;
#   3. builds mmcv 2.0.1 from source WITH its compiled ops (CPU ops, plus CUDA ops
#      when nvcc and a GPU are present) into a wheel cache keyed by the build
#      flavour, so the build (about 40-45 minutes on 2 cores) happens once per machine;
#   4. installs this repository in editable mode and checks that the stack imports.
# Environment variables:
#   MMTK_VENV        where the virtual environment lives
#   MMTK_PYTHON      the interpreter to create it with (default: python3.11)
#   MMTK_WHEEL_CACHE where built mmcv wheels are kept (default: ~/.cache/mmtextknow/wheels)
#   MMTK_CUDA        1 to force a CUDA build of mmcv, 0 to force a CPU build (default: auto)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MMTK_VENV:-$HOME/.cache/mmtextknow/venv}"
PY="${MMTK_PYTHON:-python3.11}"
WHEELS="${MMTK_WHEEL_CACHE:-$HOME/.cache/mmtextknow/wheels}"
CONSTRAINTS="$REPO/requirements/constraints.txt"

if [[ "${1:-}" == "--print-venv" ]]; then echo "$VENV"; exit 0; fi

step() { printf '\n[setup_env] %s\n' "$*"; }
die() { printf '\n[setup_env] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'die "step failed at line $LINENO (command: $BASH_COMMAND). Fix the cause and re-run; finished steps are skipped."' ERR

# Which mmcv flavour to build: CUDA only where nvcc and a GPU both exist.
if [[ -z "${MMTK_CUDA:-}" ]]; then
  if command -v nvcc >/dev/null 2>&1 && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    MMTK_CUDA=1
  else
    MMTK_CUDA=0
  fi
fi
FLAVOUR=cpu
[[ "$MMTK_CUDA" == 1 ]] && FLAVOUR=cuda

# A stamp records what the stack was built from; same stamp => only the
# editable install of this clone is checked.
STAMP_VALUE="$(cat "$CONSTRAINTS" "$REPO"/requirements/{runtime,mminstall,tests,mim}.txt | sha256sum | cut -c1-16)-$FLAVOUR"
STAMP="$VENV/.mmtextknow-stamp"

# Make `import mmtextknow` resolve to this clone (seconds; skipped when it does).
install_this_clone() {
  local origin
  # Run from / so that a package in the current directory does not count.
  origin="$(cd / && "$VENV/bin/python" -c 'import importlib.util as u; s = u.find_spec("mmtextknow"); print(s.origin if s else "")' 2>/dev/null || true)"
  if [[ "$origin" == "$REPO/mmtextknow/__init__.py" ]]; then
    return 0
  fi
  step "installing this clone ($REPO) in editable mode"
  "$VENV/bin/python" -m pip --disable-pip-version-check -q install --no-deps --no-build-isolation -e "$REPO" 2> >(grep -v "^WARNING: Location" >&2)
}

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_VALUE" ]]; then
  install_this_clone
  step "environment up to date at $VENV"
  exit 0
fi

step "1/4 virtual environment at $VENV"
command -v "$PY" >/dev/null 2>&1 || die "$PY not found: install Python 3.11 or set MMTK_PYTHON"
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || die "$PY is not Python 3.11 (the verified version); set MMTK_PYTHON"
[[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV"
VPY="$VENV/bin/python"
PIP=("$VPY" -m pip --disable-pip-version-check)
# pip warns about every index location of this machine's pip config that
# lacks a package; those lines are noise, everything else is shown.
quiet_pip() {
  "${PIP[@]}" "$@" 2> >(grep -v "^WARNING: Location" >&2 || true) \
    | { grep --line-buffered -v -E "^(Requirement already satisfied|Looking in indexes|Looking in links)" || true; }
}

step "2/4 torch, numpy<2 and build tools (pip progress below)"
quiet_pip install -c "$CONSTRAINTS" torch torchvision numpy setuptools wheel ninja mmengine

step "3/4 mmcv 2.0.1 with compiled ops ($FLAVOUR)"
TORCH_TAG="$("$VPY" -c 'import torch; print(torch.__version__.replace("+", "_"))')"
WHEEL_DIR="$WHEELS/mmcv-2.0.1-$FLAVOUR-torch$TORCH_TAG"
if "$VPY" -c 'import mmcv, mmcv.ops; assert mmcv.__version__ == "2.0.1"; from mmcv.ops import nms, contour_expand, pixel_group' 2>/dev/null \
   && [[ "$FLAVOUR" == cpu || "$("$VPY" -c 'from mmcv.ops import get_compiling_cuda_version as v; print(v())')" != "not available" ]]; then
  echo "mmcv with ops already installed"
else
  if ! ls "$WHEEL_DIR"/mmcv-2.0.1-*.whl >/dev/null 2>&1; then
    echo "building mmcv from source (about 40-45 minutes on 2 CPU cores, once per machine) into $WHEEL_DIR"
    mkdir -p "$WHEEL_DIR"
    export MMCV_WITH_OPS=1 FORCE_CUDA="$MMTK_CUDA" MAX_JOBS="${MAX_JOBS:-$(nproc)}"
    export MMTK_REAL_CXX="${CXX:-g++}" CXX="$REPO/tools/cxx20_wrapper.sh"
    # -v shows ninja's [done/total] lines: that is the progress display.
    # --no-cache-dir: pip's own wheel cache does not know the CPU/CUDA flavour.
    "$VPY" -m pip --disable-pip-version-check -v wheel --no-cache-dir --no-build-isolation --no-deps \
      -c "$CONSTRAINTS" -w "$WHEEL_DIR" mmcv==2.0.1 > "$WHEEL_DIR/build.log" 2>&1 &
    build_pid=$!
    while kill -0 "$build_pid" 2>/dev/null; do
      sleep 30
      progress="$(grep -oE '^ *\[[0-9]+/[0-9]+\]' "$WHEEL_DIR/build.log" | tail -1 | tr -d ' ' || true)"
      echo "  mmcv build: ${progress:-preparing} ($(date +%H:%M:%S))"
    done
    wait "$build_pid" || die "mmcv build failed; the last lines of $WHEEL_DIR/build.log:
$(tail -20 "$WHEEL_DIR/build.log")"
    ls "$WHEEL_DIR"/mmcv-2.0.1-*.whl >/dev/null 2>&1 || die "mmcv build failed; see $WHEEL_DIR/build.log"
  fi
  quiet_pip install --no-deps --force-reinstall "$WHEEL_DIR"/mmcv-2.0.1-*.whl
  quiet_pip install -c "$CONSTRAINTS" addict packaging Pillow pyyaml yapf
fi

step "4/4 mmdet, mmocr, open_clip, test tools, mim and mmtextknow (editable)"
quiet_pip install -c "$CONSTRAINTS" -r "$REPO/requirements/runtime.txt" -r "$REPO/requirements/mminstall.txt" \
  -r "$REPO/requirements/tests.txt"
# openmim without its declared dependencies (see requirements/mim.txt), then
# the packages it imports.
quiet_pip install -c "$CONSTRAINTS" --no-deps openmim
grep -v '^openmim' "$REPO/requirements/mim.txt" | quiet_pip install -c "$CONSTRAINTS" -r /dev/stdin
# pip may upgrade setuptools as a side effect; mmcv/mmengine need pkg_resources.
quiet_pip install -c "$CONSTRAINTS" setuptools numpy

install_this_clone
step "checking the stack"
(cd / && "$VPY" -W ignore::UserWarning -) <<'PYCHECK'
import mmcv, mmdet, mmengine, mmocr, numpy, torch
from mmcv.ops import nms, contour_expand, pixel_group, RoIAlign  # noqa: F401
import mmocr.models  # noqa: F401  (needs mmcv.ops)
import open_clip, shapely, pyclipper, pkg_resources  # noqa: F401
import mmtextknow
print(f'torch {torch.__version__} (cuda: {torch.cuda.is_available()}), numpy {numpy.__version__}, '
      f'mmengine {mmengine.__version__}, mmcv {mmcv.__version__}, mmdet {mmdet.__version__}, '
      f'mmocr {mmocr.__version__}, mmtextknow {mmtextknow.__version__}')
PYCHECK
echo "$STAMP_VALUE" > "$STAMP"
step "done. Activate with: source $VENV/bin/activate"
