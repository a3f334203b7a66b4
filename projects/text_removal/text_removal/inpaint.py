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
import numpy as np

from mmtextknow.apis.inferencers.text_removal import (CV2_INPAINT_METHODS,
                                                      OpenCVInpainter,
                                                      dilate_mask)

#: Inpainting methods of :func:`remove_text` -> OpenCV's flag.
INPAINT_METHODS = CV2_INPAINT_METHODS

__all__ = ['INPAINT_METHODS', 'dilate_mask', 'remove_text']


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
    text = np.asarray(mask)
    if text.ndim != 2:
        raise ValueError(f'mask must be a 2-D (H, W) array, got shape '
                         f'{text.shape}')
    if text.shape != image.shape[:2]:
        raise ValueError(f'mask size {text.shape} differs from the image '
                         f'size {image.shape[:2]}')
    if not radius > 0:
        raise ValueError(f'radius must be > 0, got {radius}')
    region = dilate_mask(text, dilation)
    if not region.any():
        return image.copy()
    out = OpenCVInpainter(method, radius)(np.ascontiguousarray(image), region)
    return out.reshape(image.shape)
