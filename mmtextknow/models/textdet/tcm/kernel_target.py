# Copyright (c) mmtextknow contributors. All rights reserved.
"""The auxiliary target of TCM's instance-language matching, taken from the
wrapped detector's own loss module."""
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from mmocr.models.textdet.module_losses import SegBasedModuleLoss
from mmocr.structures import TextDetDataSample


def default_shrink_ratio(module_loss: SegBasedModuleLoss) -> float:
    """The text-kernel shrink ratio a detector's loss module trains with.

    DBNet's loss has one ``shrink_ratio`` (0.4: its probability map
    target); PANet's / PSENet's have a tuple of kernel ratios, whose
    smallest is the text kernel. Other losses (FCENet's) have none and the
    ratio must be given.

    Raises:
        ValueError: If the loss module has no usable ``shrink_ratio``.
    """
    ratio = getattr(module_loss, 'shrink_ratio', None)
    if isinstance(ratio, (int, float)):
        return float(ratio)
    if isinstance(ratio, (tuple, list)) and ratio:
        return float(min(ratio))
    raise ValueError(
        f'{type(module_loss).__name__} has no shrink_ratio to take the '
        'auxiliary text-kernel target from: set aux_shrink_ratio in the TCM '
        'model config (e.g. 0.4)')


class TextKernelTarget:
    """Shrunk text-kernel maps and effective masks of a batch, made with the
    wrapped detector's loss module (MMOCR's ``SegBasedModuleLoss``
    utilities: the same polygon shrinking as the detector's own target).

    Args:
        module_loss (SegBasedModuleLoss): The detector head's loss module.
        shrink_ratio (float, optional): Kernel shrink ratio; by default the
            one the loss module trains with (:func:`default_shrink_ratio`).
    """

    def __init__(self,
                 module_loss: SegBasedModuleLoss,
                 shrink_ratio: Optional[float] = None) -> None:
        if not isinstance(module_loss, SegBasedModuleLoss):
            raise TypeError(
                'TCM takes its auxiliary target from a segmentation-based '
                'MMOCR loss module (DBNet, PANet, PSENet, FCENet), got '
                f'{type(module_loss).__name__}')
        self.module_loss = module_loss
        self.shrink_ratio = (
            default_shrink_ratio(module_loss)
            if shrink_ratio is None else float(shrink_ratio))

    def single(self, data_sample: TextDetDataSample
               ) -> Tuple[np.ndarray, np.ndarray]:
        """``(kernel, mask)`` of one image at its ``img_shape``: 1 inside the
        shrunk non-ignored polygons; mask 0 on ignored polygons."""
        instances = data_sample.gt_instances
        ignored = instances.ignored.clone()
        img_shape = tuple(data_sample.img_shape[:2])
        kernel, ignored = self.module_loss._generate_kernels(
            img_shape,
            instances.polygons,
            self.shrink_ratio,
            ignore_flags=ignored)
        mask = self.module_loss._generate_effective_mask(
            img_shape, instances[ignored].polygons)
        return (kernel > 0).astype(np.float32), mask.astype(np.float32)

    def __call__(self, data_samples: Sequence[TextDetDataSample],
                 size: Tuple[int, int],
                 device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
        """Kernels and masks ``N x H x W`` of a batch, zero-padded to the
        batch input ``size`` (padding is masked out)."""
        kernels = torch.zeros((len(data_samples), ) + tuple(size))
        masks = torch.zeros_like(kernels)
        for index, sample in enumerate(data_samples):
            kernel, mask = self.single(sample)
            h, w = kernel.shape
            kernels[index, :h, :w] = torch.from_numpy(kernel)
            masks[index, :h, :w] = torch.from_numpy(mask)
        return kernels.to(device), masks.to(device)
