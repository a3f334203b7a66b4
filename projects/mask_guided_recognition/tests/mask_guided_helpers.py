"""Helpers of the mask-guided recognition tests: paths and the project's
comparison tool (which also makes the generated word crops with masks)."""
import importlib.util
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
PROJECT = REPO_ROOT / 'projects' / 'mask_guided_recognition'
PROJECT_CONFIGS = PROJECT / 'configs'


def load_compare_tool():
    """tools/compare_mask_sources.py of the project, as a module."""
    path = PROJECT / 'tools' / 'compare_mask_sources.py'
    spec = importlib.util.spec_from_file_location('compare_mask_sources',
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
