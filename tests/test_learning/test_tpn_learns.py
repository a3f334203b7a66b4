"""Learning test: the toy TPN spotter, trained for a few CPU minutes
through tools/train.py on generated images with a few large words of a
small vocabulary, detects (detection hmean) and reads (end-to-end hmean)
held-out words."""
import re
import time

import pytest

from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                            generate_dataset)
from mmtextknow.datasets.generators.config import DEFAULT_VOCABULARY
from test_tools.helpers import train_on  # tests/ is on sys.path

CONFIG = 'configs/textspot/tpn/tpn_vgg16-x0.25_12e_toy.py'
SIZE = 128
EPOCHS = 8
VOCABULARY = DEFAULT_VOCABULARY[:8]


@pytest.mark.learning
def test_tpn_spotter_detects_and_reads_held_out_words(tmp_path):
    data = tmp_path / 'data'
    generate_dataset(
        data, {'train': 192, 'test': 32},
        cfg=SceneTextGeneratorConfig(
            img_size=SIZE,
            words_per_image=(1, 2),
            vocabulary=VOCABULARY,
            font_size=(0.16, 0.24),
            shape_probs=dict(horizontal=1.0),
            seed=13),
        progress=False)
    options = [
        f'train_cfg.max_epochs={EPOCHS}', f'train_cfg.val_interval={EPOCHS}',
        f'default_hooks.checkpoint.interval={EPOCHS}',
        'default_hooks.logger.interval=16',
        'custom_hooks.0.unlock_iter=48',
        f'train_dataloader.dataset.pipeline.2.scale=({SIZE},{SIZE})',
        f'val_dataloader.dataset.pipeline.1.scale=({SIZE},{SIZE})',
        f'test_dataloader.dataset.pipeline.1.scale=({SIZE},{SIZE})',
    ]
    start = time.time()
    out = train_on(CONFIG, data, tmp_path / 'work', options, timeout=1200)
    assert 'recognition network unlocked from iteration 48' in out
    det = float(re.findall(r'e2e/det_hmean: ([0-9.]+)', out)[-1])
    e2e = float(re.findall(r'e2e/hmean: ([0-9.]+)', out)[-1])
    print(f'TPN toy: held-out detection hmean {det:.3f}, end-to-end hmean '
          f'{e2e:.3f}, {time.time() - start:.0f} s')
    # Seeded. With requirements/constraints.txt (Pillow 13.0.0): detection
    # hmean 0.594, end-to-end 0.072 (474-499 s on 2 cores); the same code
    # gave 0.989 / 0.192 in an earlier environment with another Pillow (the
    # generated images differ). A spotter that does not learn scores 0 for
    # both (6 epochs on 160 images).
    assert det > 0.4
    assert e2e > 0.04
