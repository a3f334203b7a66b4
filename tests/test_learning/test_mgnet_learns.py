"""Learning test: MGNet trained for a few CPU minutes on generated data,
semi-supervised (half of the training images without pixel-level ground
truth), through tools/train.py and tools/test.py, must beat the all-text
baseline clearly on held-out generated images.
"""
import re

import numpy as np
import pytest
from PIL import Image

from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                            generate_dataset)
from test_tools.helpers import run_tool  # tests/ is on sys.path

CONFIG = 'configs/textseg/mgnet/mgnet_vgg-x0.25_12e_toy.py'


def all_text_baseline_f1(data_root) -> float:
    """F1 of predicting every pixel as text: 2p / (1 + p)."""
    masks = [
        np.asarray(Image.open(p)) > 127
        for p in sorted((data_root / 'masks' / 'pixel' / 'test').iterdir())
    ]
    p = sum(m.sum() for m in masks) / sum(m.size for m in masks)
    return 2 * p / (1 + p)


@pytest.mark.learning
def test_mgnet_beats_all_text_baseline(tmp_path):
    data = tmp_path / 'data'
    generate_dataset(data, {'train': 64, 'test': 16},
                     cfg=SceneTextGeneratorConfig(img_size=256, seed=11),
                     progress=False)
    options = [
        '--cfg-options', 'train_cfg.max_epochs=10', 'train_cfg.val_interval=10',
        'custom_hooks.0.switch_epoch=5', 'param_scheduler.0.milestones=[5]',
        'default_hooks.checkpoint.interval=10'
    ] + [f'{loader}.dataset.data_root={data}'
         for loader in ('train_dataloader', 'val_dataloader',
                        'test_dataloader')]
    train = run_tool(['tools/train.py', CONFIG, '--work-dir',
                      str(tmp_path / 'work')] + options, timeout=900)
    out = train.stdout + train.stderr
    assert train.returncode == 0, out[-3000:]
    assert 'MGNet stage 2 from iteration' in out
    assert 'loss_crf' in out and 'loss_subset' in out
    f1 = float(re.findall(r'textseg/dataset_F: ([0-9.]+)', out)[-1])
    baseline = all_text_baseline_f1(data)
    print(f'held-out pixel F1 {f1:.3f}, all-text baseline {baseline:.3f}')
    assert f1 > 3 * baseline
