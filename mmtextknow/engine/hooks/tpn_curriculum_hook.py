# Copyright (c) mmtextknow contributors. All rights reserved.
"""The TPN spotter's curriculum: the recogniser locked for the first
iterations, then trained."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmocr.registry import HOOKS


@HOOKS.register_module()
class TPNCurriculumHook(Hook):
    """Keep :class:`TPNSpotter`'s TRN locked (no recognition loss) before
    ``unlock_iter``, train it from there on.

    The state is derived from ``runner.iter`` before every training
    iteration, so it is right after ``--resume`` too. Locking leaves the
    TRN without gradients: distributed training needs
    ``find_unused_parameters=True`` (the spotter configs set it).

    Args:
        unlock_iter (int): First iteration (0-based) that trains the TRN
            (the paper: 30k of its first stage).
    """

    priority = 'NORMAL'

    def __init__(self, unlock_iter: int) -> None:
        if unlock_iter < 0:
            raise ValueError(
                f'TPNCurriculumHook: unlock_iter must be >= 0, got '
                f'{unlock_iter}')
        self.unlock_iter = unlock_iter

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        locked = runner.iter < self.unlock_iter
        if model.trn_locked != locked:
            model.trn_locked = locked
            print_log(
                f'TPN spotter: recognition network '
                f'{"locked" if locked else "unlocked"} from iteration '
                f'{runner.iter}',
                logger='current')
