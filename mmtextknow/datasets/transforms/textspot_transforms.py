"""Augmentations of the text spotting task.

The TPN spotter (Li et al., ICCV 2017) trains on random crops that keep
every word of the image, then scales the image width by 1 or 0.8. The width
scaling needs nothing new: MMCV's ``RandomChoice`` over two MMOCR ``Resize``
steps with ``scale_factor=(1.0, 1.0)`` / ``(0.8, 1.0)`` (see
``configs/textspot/tpn/_base_tpn_vgg16.py``). The crop is
:class:`TextPreservingRandomCrop`.
"""
from typing import Dict, Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class TextPreservingRandomCrop(BaseTransform):
    """Crop a random window that contains every text instance whole.

    The window's left edge is drawn uniformly between the image's left edge
    and the leftmost text point, its right edge between the rightmost text
    point and the image's right edge (the same for top / bottom), so no
    word, cared or ignored, is cut or lost: all of ``gt_polygons``,
    ``gt_bboxes``, ``gt_texts``, ``gt_ignored`` and ``gt_bboxes_labels`` are
    kept and the geometry is shifted into the window. Text that already
    reaches beyond the image stays as it is (the window just ends at the
    image border there). An image without text is left unchanged.

    Unlike MMOCR's ``RandomCrop`` (at least one intact instance, the cut
    ones dropped) and ``TextDetRandomCrop`` (a fixed target size), nothing
    is dropped here.

    Required Keys:

    - img
    - gt_polygons
    - gt_bboxes (optional)

    Modified Keys:

    - img
    - img_shape
    - gt_polygons
    - gt_bboxes (optional)

    Args:
        min_side_ratio (float): Each side of the window is at least this
            share of the image's side (when the text allows it: the window
            never cuts text). Must be in [0, 1]. Defaults to 0.5.
    """

    def __init__(self, min_side_ratio: float = 0.5) -> None:
        if not 0.0 <= min_side_ratio <= 1.0:
            raise ValueError('min_side_ratio must be in [0, 1], got '
                             f'{min_side_ratio}')
        self.min_side_ratio = min_side_ratio

    @staticmethod
    def _sample_span(size: int, text_lo: int, text_hi: int,
                     min_len: int) -> Tuple[int, int]:
        """A random ``[start, end)`` on an axis of length ``size`` with
        ``start <= text_lo``, ``end >= text_hi`` and, where possible,
        ``end - start >= min_len`` (and always ``end > start``)."""
        min_len = max(min_len, 1)
        start = np.random.randint(0, max(min(text_lo, size - min_len), 0) + 1)
        end_lo = min(max(text_hi, start + min_len), size)
        end = np.random.randint(end_lo, size + 1)
        return start, end

    @cache_randomness
    def _sample_window(self, img_hw: Tuple[int, int],
                       polygons: list) -> Tuple[int, int, int, int]:
        """The crop window ``(x1, y1, x2, y2)`` holding all ``polygons``."""
        h, w = img_hw
        points = np.concatenate(
            [np.asarray(p, dtype=np.float64).reshape(-1, 2) for p in polygons])
        x_lo, y_lo = np.floor(points.min(axis=0)).astype(int)
        x_hi, y_hi = np.ceil(points.max(axis=0)).astype(int)
        x1, x2 = self._sample_span(w, int(np.clip(x_lo, 0, w)),
                                   int(np.clip(x_hi, 0, w)),
                                   int(w * self.min_side_ratio))
        y1, y2 = self._sample_span(h, int(np.clip(y_lo, 0, h)),
                                   int(np.clip(y_hi, 0, h)),
                                   int(h * self.min_side_ratio))
        return x1, y1, x2, y2

    def transform(self, results: Dict) -> Dict:
        """Crop ``results`` (see the class docstring)."""
        polygons = results.get('gt_polygons')
        if polygons is None or len(polygons) == 0:
            return results
        img = results['img']
        x1, y1, x2, y2 = self._sample_window(img.shape[:2], polygons)
        results['img'] = img[y1:y2, x1:x2]
        results['img_shape'] = results['img'].shape[:2]
        shift = np.array([x1, y1], dtype=np.float32)
        results['gt_polygons'] = [
            (np.asarray(p, dtype=np.float32).reshape(-1, 2) - shift).reshape(-1)
            for p in polygons
        ]
        if results.get('gt_bboxes') is not None:
            results['gt_bboxes'] = (
                np.asarray(results['gt_bboxes'], dtype=np.float32) -
                np.tile(shift, 2))
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}'
                f'(min_side_ratio={self.min_side_ratio})')
