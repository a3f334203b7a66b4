"""Shared steps of the text segmentation learning tests: generate held-out
data, train a toy config through tools/train.py, read the validation F1."""
import re
from pathlib import Path
from typing import List, Tuple

import numpy as np
from PIL import Image

from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                            generate_dataset)
from test_tools.helpers import run_tool  # tests/ is on sys.path


def all_text_baseline_f1(data_root: Path) -> float:
    """F1 of predicting every pixel as text: 2p / (1 + p)."""
    masks = [
        np.asarray(Image.open(p)) > 127
        for p in sorted((data_root / 'masks' / 'pixel' / 'test').iterdir())
    ]
    p = sum(m.sum() for m in masks) / sum(m.size for m in masks)
    return 2 * p / (1 + p)


def train_on_generated_data(tmp_path: Path, config: str, seed: int,
                            cfg_options: List[str]) -> Tuple[str, float,
                                                             float]:
    """Train ``config`` on 64 generated images, validate on 16 others.

    Args:
        tmp_path (Path): Where the data and the work dir go.
        config (str): The toy config.
        seed (int): Seed of the generated data.
        cfg_options (list[str]): ``--cfg-options`` besides the data roots.

    Returns:
        tuple[str, float, float]: The training output, the last validation
        ``textseg/dataset_F`` and the all-text baseline's F1.
    """
    data = tmp_path / 'data'
    generate_dataset(data, {'train': 64, 'test': 16},
                     cfg=SceneTextGeneratorConfig(img_size=256, seed=seed),
                     progress=False)
    options = ['--cfg-options'] + cfg_options + [
        f'{loader}.dataset.data_root={data}'
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader')
    ]
    train = run_tool(['tools/train.py', config, '--work-dir',
                      str(tmp_path / 'work')] + options, timeout=900)
    out = train.stdout + train.stderr
    assert train.returncode == 0, out[-3000:]
    f1 = float(re.findall(r'textseg/dataset_F: ([0-9.]+)', out)[-1])
    baseline = all_text_baseline_f1(data)
    print(f'{config}: held-out pixel F1 {f1:.3f}, all-text baseline '
          f'{baseline:.3f}')
    return out, f1, baseline
