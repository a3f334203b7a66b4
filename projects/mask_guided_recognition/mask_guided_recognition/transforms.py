# Copyright (c) mmtextknow contributors. All rights reserved.
"""Packing of word crops with their pixel-level text masks."""
from typing import Sequence

import numpy as np
import torch
from mmengine.structures import PixelData
from mmocr.datasets.transforms import PackTextRecogInputs
from mmocr.registry import TRANSFORMS

from .structures import MaskedTextRecogDataSample


@TRANSFORMS.register_module()
class PackMaskedTextRecogInputs(PackTextRecogInputs):
    """Pack a word crop as :class:`PackTextRecogInputs` does, plus its text
    mask when the pipeline loaded one.

    The mask is expected under ``mask_key``, ``gt_seg_map`` by default: the
    key mmcv's ``Resize`` / ``Pad`` (and so MMOCR's ``Resize``,
    ``RescaleToHeight``, ``PadToWidth``) transform together with the image
    (nearest-neighbour resizing). Load it before those steps, e.g. with
    ``dict(type='LoadTextMasks', mask_keys=dict(pixel_mask_path=
    'gt_seg_map'))`` right after ``LoadImageFromFile``.

    Required Keys:

    - img, gt_texts, the ``meta_keys``
    - ``mask_key`` (optional; HxW uint8)

    Added Keys:

    - inputs (CxHxW tensor)
    - data_samples (:obj:`MaskedTextRecogDataSample`): ``gt_text``, the
      metainfo and, with a mask, ``gt_pixel_mask`` (1xHxW uint8)

    Args:
        meta_keys (Sequence[str]): Metainfo keys, as in
            :class:`PackTextRecogInputs`.
        mask_key (str): Results key of the mask. Defaults to 'gt_seg_map'.

    Raises:
        ValueError: If the mask's size is not the image's.
    """

    def __init__(self,
                 meta_keys: Sequence[str] = ('img_path', 'ori_shape',
                                             'img_shape', 'pad_shape',
                                             'valid_ratio'),
                 mask_key: str = 'gt_seg_map') -> None:
        super().__init__(meta_keys=meta_keys)
        self.mask_key = mask_key

    def transform(self, results: dict) -> dict:
        """Pack the image, the text, the metainfo and the mask.

        Args:
            results (dict): The results dict.

        Returns:
            dict: ``inputs`` and ``data_samples``.
        """
        packed = super().transform(results)
        plain = packed['data_samples']
        sample = MaskedTextRecogDataSample(metainfo=plain.metainfo)
        sample.gt_text = plain.gt_text
        mask = results.get(self.mask_key)
        if mask is not None:
            mask = np.asarray(mask)
            img_hw = tuple(results['img'].shape[:2])
            if mask.ndim != 2 or tuple(mask.shape) != img_hw:
                raise ValueError(
                    f'{results.get("img_path", "a sample")}: {self.mask_key} '
                    f'is {mask.shape}, the image {img_hw}: load the mask '
                    'before the geometric transforms')
            sample.gt_pixel_mask = PixelData(
                data=torch.from_numpy(np.ascontiguousarray(mask)[None]))
        packed['data_samples'] = sample
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(meta_keys={self.meta_keys}, '
                f'mask_key={self.mask_key!r})')
