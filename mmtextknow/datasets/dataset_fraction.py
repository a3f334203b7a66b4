# Copyright (c) mmtextknow contributors. All rights reserved.
"""A seeded random fraction of a dataset (few-shot training)."""
from typing import List, Union

import numpy as np
from mmengine.dataset import BaseDataset, RepeatDataset, force_full_init
from mmengine.logging import print_log
from mmocr.registry import DATASETS


@DATASETS.register_module()
class DatasetFraction(RepeatDataset):
    """Keep a seeded random ``fraction`` of a dataset's samples (at least
    one), e.g. for few-shot training (TCM, slides Fig. 5).

    The same ``seed`` keeps the same samples on every run and every rank,
    and a smaller fraction keeps a subset of a larger one's samples (one
    permutation, cut at different lengths). The kept count is logged.

    Args:
        dataset (BaseDataset or dict): The dataset (or its config).
        fraction (float): Share of samples to keep, in (0, 1].
        seed (int): Seed of the permutation. Defaults to 0.
        lazy_init (bool): Load the annotations only when needed.
    """

    def __init__(self,
                 dataset: Union[BaseDataset, dict],
                 fraction: float,
                 seed: int = 0,
                 lazy_init: bool = False) -> None:
        if not 0 < fraction <= 1:
            raise ValueError(
                f'DatasetFraction: fraction must be in (0, 1], got {fraction}')
        self.fraction = fraction
        self.seed = seed
        self._kept: List[int] = []
        super().__init__(dataset, times=1, lazy_init=lazy_init)

    def full_init(self) -> None:
        if self._fully_initialized:
            return
        super().full_init()
        order = np.random.default_rng(self.seed).permutation(self._ori_len)
        num = max(1, int(round(self.fraction * self._ori_len)))
        self._kept = sorted(order[:num].tolist())
        print_log(
            f'DatasetFraction: kept {num} of {self._ori_len} samples '
            f'(fraction {self.fraction}, seed {self.seed})',
            logger='current')

    @force_full_init
    def _get_ori_dataset_idx(self, idx: int) -> int:
        return self._kept[idx]

    @force_full_init
    def __len__(self) -> int:
        return len(self._kept)
