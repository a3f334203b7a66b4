"""Loading of pixel-level and polygon-level text masks."""
from typing import Dict, Mapping, Optional, Sequence

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio
from mmocr.registry import TRANSFORMS

from mmtextknow.datasets.mask_values import FILE_IGNORE, IGNORE_INDEX
from mmtextknow.utils import DataError

#: Annotation key of each mask file -> key of the loaded mask in results.
DEFAULT_MASK_KEYS: Dict[str, str] = {
    'pixel_mask_path': 'gt_pixel_mask',
    'polygon_mask_path': 'gt_polygon_mask',
}

#: File value -> pipeline value of the native TextSeg ``*_maskfg.png``
#: labels (Xu et al., CVPR 2021): 0 background, 100 text, 200 "word effect"
#: (shadows, outlines) -> background, 255 ignore. This is TexRNet's reading
#: (SHI-Labs/Rethinking-Text-Segmentation, ``lib/data_factory/
#: ds_textseg.py``, ``TextSeg_SemlabelLoader`` with
#: ``LOADER_DERIVED_CLS_MAP_TO = 'bg'`` as set in ``eval_utils.py`` /
#: ``train_utils.py``).
TEXTSEG_MASKFG_VALUE_MAP: Dict[int, int] = {
    0: 0,
    100: 1,
    200: 0,
    255: IGNORE_INDEX,
}


def flag_key_of(mask_key: str) -> str:
    """``'gt_pixel_mask'`` -> ``'has_pixel_mask'``."""
    name = mask_key[3:] if mask_key.startswith('gt_') else mask_key
    return 'has_' + name


@TRANSFORMS.register_module()
class LoadTextMasks(BaseTransform):
    """Load text masks stored as single-channel images.

    By default a mask file follows the convention of
    :mod:`mmtextknow.datasets.mask_values` (what the converters write):
    :data:`FILE_IGNORE` (127) is don't care and becomes
    :data:`IGNORE_INDEX` (255), a value above ``threshold`` is text (1),
    anything else background (0). With ``value_map`` the masks of
    ``value_map_keys`` are read as native label files instead: each file
    value is mapped to its pipeline value, and a value not in the map is a
    :class:`~mmtextknow.utils.DataError` naming the file and the values
    (e.g. :data:`TEXTSEG_MASKFG_VALUE_MAP` for TextSeg's
    ``*_maskfg.png``). Run it after ``LoadImageFromFile``: each mask must
    have the image's size.

    Required Keys:

    - img_path, ori_shape
    - the mask path keys (``pixel_mask_path``, ``polygon_mask_path``); a
      key that is absent or None means "no such mask for this image"

    Added Keys:

    - gt_pixel_mask, gt_polygon_mask (np.uint8, HxW, 0 background / 1 text
      / 255 ignore); an all-zero mask where the image has no such mask
    - has_pixel_mask, has_polygon_mask (bool)

    Args:
        mask_keys (dict): Maps each annotation key to the results key of the
            loaded mask. Defaults to :data:`DEFAULT_MASK_KEYS`.
        threshold (int): Without ``value_map``, values above it are text.
            Defaults to 127.
        ignore_value (int, optional): Without ``value_map``, the file value
            read as don't care. Defaults to :data:`FILE_IGNORE`; None reads
            it by ``threshold`` like any other value.
        value_map (dict[int, int], optional): File value -> pipeline value
            (0, 1 or :data:`IGNORE_INDEX`) for the masks of
            ``value_map_keys``. Defaults to None.
        value_map_keys (Sequence[str]): Results keys of the masks read with
            ``value_map``. Defaults to ``('gt_pixel_mask', )``: native
            labels are pixel-level, polygon masks come from the converters.
        backend_args (dict, optional): Arguments of the file backend.

    Raises:
        DataError: When a mask file is missing, cannot be decoded, has a
            size different from its image (the message names both files)
            or, with ``value_map``, holds a value the map does not list.
    """

    def __init__(self,
                 mask_keys: Optional[Dict[str, str]] = None,
                 threshold: int = 127,
                 ignore_value: Optional[int] = FILE_IGNORE,
                 value_map: Optional[Mapping[int, int]] = None,
                 value_map_keys: Sequence[str] = ('gt_pixel_mask', ),
                 backend_args: Optional[dict] = None) -> None:
        self.mask_keys = dict(mask_keys or DEFAULT_MASK_KEYS)
        self.threshold = threshold
        self.ignore_value = ignore_value
        self.value_map = None
        if value_map is not None:
            self.value_map = {int(k): int(v) for k, v in value_map.items()}
            bad = {
                v
                for v in self.value_map.values()
                if v not in (0, 1, IGNORE_INDEX)
            }
            if bad or not all(0 <= k <= 255 for k in self.value_map):
                raise ValueError(
                    'value_map must map uint8 file values to 0, 1 or '
                    f'{IGNORE_INDEX}, got {value_map}')
        self.value_map_keys = tuple(value_map_keys)
        self.backend_args = backend_args

    def transform(self, results: dict) -> dict:
        """Load the masks of one image.

        Args:
            results (dict): The results dict.

        Returns:
            dict: The results with the masks and their flags.
        """
        height, width = results['ori_shape'][:2]
        for path_key, mask_key in self.mask_keys.items():
            path = results.get(path_key)
            if path:
                raw = self._load(path, results['img_path'], (height, width))
                results[mask_key] = self._map_values(raw, path, mask_key)
            else:
                results[mask_key] = np.zeros((height, width), np.uint8)
            results[flag_key_of(mask_key)] = bool(path)
        return results

    def _map_values(self, raw: np.ndarray, path: str,
                    mask_key: str) -> np.ndarray:
        """File values -> 0 / 1 / :data:`IGNORE_INDEX`."""
        if self.value_map is not None and mask_key in self.value_map_keys:
            lut = np.full(256, -1, np.int16)
            for file_value, value in self.value_map.items():
                lut[file_value] = value
            mapped = lut[raw]
            if (mapped < 0).any():
                unknown = sorted(int(v) for v in np.unique(raw[mapped < 0]))
                raise DataError(
                    f'{path}: mask values {unknown[:10]} are not in the '
                    f'value map {self.value_map}')
            return mapped.astype(np.uint8)
        mask = (raw > self.threshold).astype(np.uint8)
        if self.ignore_value is not None:
            mask[raw == self.ignore_value] = IGNORE_INDEX
        return mask

    def _load(self, path: str, img_path: str,
              img_hw: Sequence[int]) -> np.ndarray:
        try:
            mask_bytes = fileio.get(path, backend_args=self.backend_args)
        except FileNotFoundError:
            raise DataError(f'{path}: mask file not found (image '
                            f'{img_path})') from None
        # Pillow's 'unchanged' keeps 8-bit grey values and palette indices
        # as stored; 1-bit files become 0/255; colour and 16-bit files are
        # reduced to 8-bit grey by cv2 (BT.601 luma).
        try:
            mask = mmcv.imfrombytes(
                mask_bytes, flag='unchanged', backend='pillow')
        except Exception:  # noqa: BLE001 (Pillow raises many types)
            mask = None
        if mask is None:
            raise DataError(f'{path}: cannot decode mask (corrupt or not an '
                            'image)')
        if mask.dtype == bool:
            mask = mask.astype(np.uint8) * 255
        elif mask.ndim == 3 or mask.dtype != np.uint8:
            mask = mmcv.imfrombytes(mask_bytes, flag='grayscale')
        if tuple(mask.shape[:2]) != tuple(img_hw):
            raise DataError(
                f'{path}: mask size {mask.shape[1]}x{mask.shape[0]} differs '
                f'from its image {img_path} ({img_hw[1]}x{img_hw[0]})')
        return mask

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(mask_keys={self.mask_keys}, '
                f'threshold={self.threshold}, '
                f'ignore_value={self.ignore_value}, '
                f'value_map={self.value_map}, '
                f'value_map_keys={self.value_map_keys})')


__all__ = [
    'DEFAULT_MASK_KEYS', 'TEXTSEG_MASKFG_VALUE_MAP', 'LoadTextMasks',
    'flag_key_of'
]
