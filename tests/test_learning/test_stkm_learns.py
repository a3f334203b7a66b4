"""Learning test: the toy STKM, trained for about three CPU minutes through
tools/train.py on small generated images (64 px) of a closed vocabulary,
reads the words of held-out images well above an image-blind guess
(word-set F1)."""
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import List

import pytest

from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                            generate_dataset)
from mmtextknow.datasets.generators.config import DEFAULT_VOCABULARY
from test_tools.helpers import train_on  # tests/ is on sys.path

CONFIG = 'configs/pretrain/stkm/stkm_resnet18_fpn_toy.py'
VOCABULARY = DEFAULT_VOCABULARY[:12]
# 64 px inputs (8x8 tokens at stride 8) with large glyphs: at 96-128 px the
# decoder stays image-blind for most of a 5-minute budget, at 64 px it
# reads after ~8 epochs. The pipelines' Resize is set to the same size.
IMG_SIZE = 64


def readable_words(data_root: Path, split: str) -> List[List[str]]:
    """The cared words of each image of a generated split."""
    data = json.loads((data_root / f'textdet_{split}.json').read_text())
    return [[
        inst['text'] for inst in item['instances']
        if not inst['ignore'] and inst['text'] != '###'
    ] for item in data['data_list']]


def image_blind_f1(data_root: Path) -> float:
    """Word-set F1 on the test split of a reader that ignores the image
    and answers the most frequent training word for every image."""
    counts = Counter(
        w for words in readable_words(data_root, 'train') for w in words)
    guess = counts.most_common(1)[0][0]
    test = readable_words(data_root, 'test')
    hits = sum(guess in words for words in test)
    precision = hits / len(test)
    recall = hits / sum(len(words) for words in test)
    return 2 * precision * recall / (precision + recall) if hits else 0.


@pytest.mark.learning
def test_stkm_reads_held_out_words(tmp_path):
    data = tmp_path / 'data'
    generate_dataset(
        data, {'train': 1536, 'test': 64},
        cfg=SceneTextGeneratorConfig(
            img_size=IMG_SIZE,
            words_per_image=(1, 2),
            vocabulary=VOCABULARY,
            font_size=(0.16, 0.25),
            shape_probs=dict(horizontal=0.7, rotated=0.3),
            max_rotation_deg=10,
            seed=5),
        progress=False)
    options = [
        'train_cfg.max_epochs=16', 'train_cfg.val_interval=4',
        'default_hooks.checkpoint.interval=16',
        'default_hooks.logger.interval=32',
        # batches of 16: twice the updates of 32 for the same compute, and
        # the decoder leaves the image-blind plateau sooner
        'train_dataloader.batch_size=16',
        'optim_wrapper.optimizer.lr=1e-3',
        # the images are generated upright and at the input size already
        'train_dataloader.dataset.pipeline.2.max_angle=0',
        f'train_dataloader.dataset.pipeline.3.scale=({IMG_SIZE},{IMG_SIZE})',
        f'val_dataloader.dataset.pipeline.2.scale=({IMG_SIZE},{IMG_SIZE})',
        f'test_dataloader.dataset.pipeline.2.scale=({IMG_SIZE},{IMG_SIZE})',
    ]
    start = time.time()
    out = train_on(CONFIG, data, tmp_path / 'work', options, timeout=1800)
    losses = [float(x) for x in re.findall(r' loss_kl: ([0-9.]+)', out)]
    f1s = [
        float(x)
        for x in re.findall(r'textseq/word_hmean: ([0-9.]+)', out)
    ]
    f1 = f1s[-1]
    print(f'STKM toy: held-out word F1 {f1:.3f} (per validation: '
          f'{", ".join(f"{x:.2f}" for x in f1s)}), loss {losses[0]:.3f} -> '
          f'{losses[-1]:.3f}, {time.time() - start:.0f} s')
    assert losses[-1] < 0.5 * losses[0]
    # The untrained model reads no word (F1 0.000 on these 64 images); an
    # image-blind reader (always the most frequent training word) gets
    # F1 0.100 here (computed below). The first epochs sit near it (0.13 at
    # epoch 4) before the decoder reads the image (0.26 at 8, 0.40 at 12,
    # 0.57 at 16 in a run on 2 cores, 178 s; loss 1.02 -> 0.17). Three
    # times the blind guess is already passed at epoch 12.
    blind = image_blind_f1(data)
    assert f1 > 3 * blind, f'F1 {f1:.3f}, image-blind reader {blind:.3f}'
