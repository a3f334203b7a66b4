"""Learning test: the toy STKM, trained for about ten CPU minutes through
tools/train.py on generated images of a closed vocabulary, reads the words
of held-out images well above an image-blind guess (word-set F1)."""
import re
import time

import pytest

from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                            generate_dataset)
from mmtextknow.datasets.generators.config import DEFAULT_VOCABULARY
from test_tools.helpers import run_tool  # tests/ is on sys.path

CONFIG = 'configs/pretrain/stkm/stkm_resnet18_fpn_toy.py'
VOCABULARY = DEFAULT_VOCABULARY[:12]


@pytest.mark.learning
def test_stkm_reads_held_out_words(tmp_path):
    data = tmp_path / 'data'
    generate_dataset(
        data, {'train': 1536, 'test': 64},
        cfg=SceneTextGeneratorConfig(
            img_size=128,
            words_per_image=(1, 2),
            vocabulary=VOCABULARY,
            font_size=(0.12, 0.2),
            shape_probs=dict(horizontal=0.7, rotated=0.3),
            max_rotation_deg=10,
            seed=5),
        progress=False)
    options = [
        'train_cfg.max_epochs=16', 'train_cfg.val_interval=4',
        'default_hooks.checkpoint.interval=16',
        'default_hooks.logger.interval=16',
        'train_dataloader.batch_size=32',
        # the images are generated upright and at the input size already
        'train_dataloader.dataset.pipeline.2.max_angle=0',
    ] + [
        f'{loader}.dataset.data_root={data}'
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader')
    ]
    start = time.time()
    train = run_tool(['tools/train.py', CONFIG, '--work-dir',
                      str(tmp_path / 'work'), '--cfg-options'] + options,
                     timeout=1800)
    out = train.stdout + train.stderr
    assert train.returncode == 0, out[-3000:]
    losses = [float(x) for x in re.findall(r' loss_kl: ([0-9.]+)', out)]
    f1 = float(re.findall(r'textseq/word_hmean: ([0-9.]+)', out)[-1])
    print(f'STKM toy: held-out word F1 {f1:.3f}, loss {losses[0]:.3f} -> '
          f'{losses[-1]:.3f}, {time.time() - start:.0f} s')
    assert losses[-1] < 0.5 * losses[0]
    # An image-blind reader (always the most frequent word: 1.5 words per
    # image from 12) gets F1 ~0.1; the first epochs sit there (0.14-0.15
    # at epochs 4 and 8) before the decoder starts reading the image
    # (0.19 at 12, 0.36 at 16 in a run on 2 idle cores, ~10 minutes).
    assert f1 > 0.25
