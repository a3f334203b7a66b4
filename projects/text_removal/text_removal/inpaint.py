# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text removal: inpaint the pixels of a text mask.

:func:`remove_text` is the public entry point: an image and a text mask
(any mask source: a segmentation model's prediction, the ground-truth glyph
pixels, filled word polygons) go in, the text-free image comes out. The
mask is first grown by :func:`dilate_mask` (anti-aliased glyph edges and
blur spread just outside a glyph mask would otherwise survive), then the
masked pixels are filled by OpenCV's ``cv2.inpaint``: Telea's fast
marching method (``'telea'``) or the Navier-Stokes based method
(``'ns'``).
"""
from typing import Dict

import cv2
import numpy as np

#: Inpainting methods of :func:`remove_text` -> OpenCV's flag.
INPAINT_METHODS: Dict[str, int] = {
    'telea': cv2.INPAINT_TELEA,
    'ns': cv2.INPAINT_NS,
}


def _check_mask(mask: np.ndarray, name: str = 'mask') -> np.ndarray:
    """A 2-D mask as a boolean array (non-zero = text)."""
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f'{name} must be a 2-D (H, W) array, got shape '
                         f'{mask.shape}')
    return mask != 0


def dilate_mask(mask: np.ndarray, dilation: int) -> np.ndarray:
    """Grow a mask by ``dilation`` pixels (Euclidean distance).

    A pixel is in the result if its centre lies within ``dilation`` pixels
    of the centre of a mask pixel (exact Euclidean distance transform), so
    ``dilation=1`` adds the 4-neighbours, ``dilation=2`` also the diagonal
    neighbours (distance 1.41) and the pixels two steps away in a row or a
    column.

    Args:
        mask (np.ndarray): (H, W) mask, non-zero = text (bool or any
            integer / float type).
        dilation (int): Growth in pixels (>= 0); 0 returns the mask as is.

    Returns:
        np.ndarray: (H, W) bool mask.

    Raises:
        ValueError: If ``mask`` is not 2-D or ``dilation`` is negative or not
            an integer.
    """
    text = _check_mask(mask)
    if isinstance(dilation, bool) or not isinstance(dilation,
                                                    (int, np.integer)):
        raise ValueError(f'dilation must be an integer number of pixels, '
                         f'got {dilation!r}')
    if dilation < 0:
        raise ValueError(f'dilation must be >= 0, got {dilation}')
    if dilation == 0 or not text.any():
        return text
    # Distance of every pixel to the nearest text pixel (text pixels: 0).
    distance = cv2.distanceTransform((~text).astype(np.uint8), cv2.DIST_L2,
                                     cv2.DIST_MASK_PRECISE)
    # Distances are exact square roots of integers; the tolerance keeps a
    # pixel at exactly `dilation` despite float32 rounding.
    return distance <= dilation + 1e-3


def remove_text(image: np.ndarray,
                mask: np.ndarray,
                method: str = 'telea',
                dilation: int = 2,
                radius: float = 3.0) -> np.ndarray:
    """Remove the text under ``mask`` from ``image`` by inpainting.

    Pixels outside the dilated mask are returned unchanged.

    Args:
        image (np.ndarray): (H, W, 3) or (H, W) uint8 image; the channel
            order (RGB or BGR) does not matter.
        mask (np.ndarray): (H, W) text mask, non-zero = text.
        method (str): ``'telea'`` (Telea's fast marching method) or
            ``'ns'`` (Navier-Stokes), see :data:`INPAINT_METHODS`.
            Defaults to 'telea'.
        dilation (int): Pixels by which the mask is grown first
            (:func:`dilate_mask`). Defaults to 2.
        radius (float): Radius in pixels of the neighbourhood each inpainted
            pixel is filled from (``cv2.inpaint``'s ``inpaintRadius``).
            Defaults to 3.

    Returns:
        np.ndarray: The text-free image, same shape and dtype as ``image``.

    Raises:
        ValueError: On an unknown method, a non-uint8 image, mismatched
            sizes, a negative dilation or a non-positive radius.
    """
    if method not in INPAINT_METHODS:
        raise ValueError(f'unknown inpainting method {method!r}; choose one '
                         f'of {sorted(INPAINT_METHODS)}')
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim not in (2, 3) or (
            image.ndim == 3 and image.shape[2] not in (1, 3)):
        raise ValueError('image must be an (H, W, 3) or (H, W) uint8 array, '
                         f'got shape {image.shape} dtype {image.dtype}')
    text = _check_mask(mask)
    if text.shape != image.shape[:2]:
        raise ValueError(f'mask size {text.shape} differs from the image '
                         f'size {image.shape[:2]}')
    if not radius > 0:
        raise ValueError(f'radius must be > 0, got {radius}')
    region = dilate_mask(text, dilation)
    if not region.any():
        return image.copy()
    out = cv2.inpaint(
        np.ascontiguousarray(image), region.astype(np.uint8),
        float(radius), INPAINT_METHODS[method])
    return out.reshape(image.shape)
