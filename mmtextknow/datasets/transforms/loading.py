"""Loading of pixel-level and polygon-level text masks."""
from typing import Dict, Optional, Sequence

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio
from mmocr.registry import TRANSFORMS

from mmtextknow.utils import DataError

#: Annotation key of each mask file -> key of the loaded mask in results.
DEFAULT_MASK_KEYS: Dict[str, str] = {
    'pixel_mask_path': 'gt_pixel_mask',
    'polygon_mask_path': 'gt_polygon_mask',
}


@TRANSFORMS.register_module()
class LoadTextMasks(BaseTransform):
    """Load binary text masks stored as single-channel images.

    A pixel value above ``threshold`` is text. Run it after
    ``LoadImageFromFile``: each mask must have the image's size.

    Required Keys:

    - img_path, ori_shape
    - the mask path keys (``pixel_mask_path``, ``polygon_mask_path``); a
      key that is absent or None means "no such mask for this image"

    Added Keys:

    - gt_pixel_mask, gt_polygon_mask (np.uint8, HxW, 0/1); an all-zero mask
      where the image has no such mask
    - has_pixel_mask, has_polygon_mask (bool)

    Args:
        mask_keys (dict): Maps each annotation key to the results key of the
            loaded mask. Defaults to :data:`DEFAULT_MASK_KEYS`.
        threshold (int): Pixel values above it are text. Defaults to 127.
        backend_args (dict, optional): Arguments of the file backend.

    Raises:
        DataError: When a mask file is missing, cannot be decoded, or has a
            size different from its image (the message names both files).
    """

    def __init__(self,
                 mask_keys: Optional[Dict[str, str]] = None,
                 threshold: int = 127,
                 backend_args: Optional[dict] = None) -> None:
        self.mask_keys = dict(mask_keys or DEFAULT_MASK_KEYS)
        self.threshold = threshold
        self.backend_args = backend_args

    def transform(self, results: dict) -> dict:
        height, width = results['ori_shape'][:2]
        for path_key, mask_key in self.mask_keys.items():
            flag_key = 'has_' + (mask_key[len('gt_'):]
                                 if mask_key.startswith('gt_') else mask_key)
            path = results.get(path_key)
            if path:
                results[mask_key] = self._load(path, results['img_path'],
                                               (height, width))
            else:
                results[mask_key] = np.zeros((height, width), np.uint8)
            results[flag_key] = bool(path)
        return results

    def _load(self, path: str, img_path: str,
              img_hw: Sequence[int]) -> np.ndarray:
        try:
            mask_bytes = fileio.get(path, backend_args=self.backend_args)
        except FileNotFoundError:
            raise DataError(f'{path}: mask file not found (image '
                            f'{img_path})') from None
        mask = mmcv.imfrombytes(mask_bytes, flag='grayscale')
        if mask is None:
            raise DataError(f'{path}: cannot decode mask (corrupt or not an '
                            'image)')
        if tuple(mask.shape[:2]) != tuple(img_hw):
            raise DataError(
                f'{path}: mask size {mask.shape[1]}x{mask.shape[0]} differs '
                f'from its image {img_path} ({img_hw[1]}x{img_hw[0]})')
        return (mask > self.threshold).astype(np.uint8)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(mask_keys={self.mask_keys}, '
                f'threshold={self.threshold})')
