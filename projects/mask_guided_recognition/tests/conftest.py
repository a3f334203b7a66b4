"""Fixtures of the mask-guided recognition tests."""
from pathlib import Path

import pytest

from mask_guided_helpers import load_compare_tool


@pytest.fixture(scope='session')
def mask_crops(tmp_path_factory) -> Path:
    """Word crops with pixel masks of 4 training and 2 test generated
    128 x 128 images."""
    root = tmp_path_factory.mktemp('mask_crops')
    load_compare_tool().prepare_data(
        root, num_train=4, num_test=2, img_size=128, seed=5)
    return root
