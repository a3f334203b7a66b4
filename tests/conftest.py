"""Shared fixtures: repository paths, the shared real data, generated data."""
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """``../shared/data`` beside the clone, or ``$MMTK_SHARED_DATA``."""
    return Path(os.environ.get('MMTK_SHARED_DATA',
                               REPO_ROOT.parent / 'shared' / 'data'))


@pytest.fixture(scope='session')
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope='session')
def shared_data() -> Path:
    """The shared real data; tests using it skip when it is absent."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f'shared test data not found at {path}')
    return path


@pytest.fixture(scope='session')
def tiny_toy_data(tmp_path_factory) -> Path:
    """A tiny generated scene-text set (6 train, 2 test images, 128x128)."""
    from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                                generate_dataset)
    out = tmp_path_factory.mktemp('tiny_toy')
    generate_dataset(
        out, {'train': 6, 'test': 2},
        cfg=SceneTextGeneratorConfig(img_size=128, seed=3),
        progress=False)
    return out
