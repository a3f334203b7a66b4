"""Fixtures of the mask-guided recognition tests."""
from pathlib import Path

import pytest

from mask_guided_helpers import make_mask_crops


@pytest.fixture(scope='session')
def mask_crops(tmp_path_factory) -> Path:
    """Word crops with pixel masks of 4 training and 2 test images."""
    return make_mask_crops(
        tmp_path_factory.mktemp('mask_crops'), {'train': 4, 'test': 2})
