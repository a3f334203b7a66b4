"""Simulating partially labelled data for semi-supervised segmentation."""
import os.path as osp
import zlib
from typing import Sequence

from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class HideAnnotationForSubset(BaseTransform):
    """Hide an annotation file for a fixed subset of the images.

    Used to train semi-supervised methods (MGNet) on fully annotated data
    as if only part of it had a given ground truth: for a fixed,
    deterministic share of the images (chosen by a hash of the image's file
    name and its folder, so the same images every epoch, in every worker and
    wherever the data set lies) the listed keys are
    set to None, which ``LoadTextMasks`` reads as "this image has no such
    mask". Run it before ``LoadTextMasks``.

    Required Keys:

    - img_path

    Modified Keys:

    - the keys in ``keys`` (set to None for the hidden subset)

    Args:
        keys (Sequence[str]): Annotation keys to hide, e.g.
            ``('pixel_mask_path',)``.
        hidden_fraction (float): Share of the images, in [0, 1], whose
            annotation is hidden. Defaults to 0.5.
        seed (int): Changes which images are chosen. Defaults to 0.
    """

    def __init__(self,
                 keys: Sequence[str] = ('pixel_mask_path', ),
                 hidden_fraction: float = 0.5,
                 seed: int = 0) -> None:
        if not 0.0 <= hidden_fraction <= 1.0:
            raise ValueError(
                f'hidden_fraction must be in [0, 1], got {hidden_fraction}')
        self.keys = tuple(keys)
        self.hidden_fraction = hidden_fraction
        self.seed = seed

    def is_hidden(self, img_path: str) -> bool:
        """Whether the image's annotation is hidden (deterministic)."""
        folder, name = osp.split(img_path)
        key = f'{self.seed}:{osp.basename(folder)}/{name}'
        digest = zlib.crc32(key.encode('utf-8'))
        return digest / 2**32 < self.hidden_fraction

    def transform(self, results: dict) -> dict:
        if self.is_hidden(results['img_path']):
            for key in self.keys:
                results[key] = None
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'hidden_fraction={self.hidden_fraction}, seed={self.seed})')
