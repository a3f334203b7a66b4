# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text removal for the inference pipeline: mask dilation and inpainting."""
from typing import Callable, Union

import cv2
import numpy as np

#: ``(BGR image HxWx3 uint8, mask HxW uint8 0/1) -> BGR image HxWx3 uint8``.
Remover = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: OpenCV's inpainting methods by name.
CV2_INPAINT_METHODS = {'telea': cv2.INPAINT_TELEA, 'ns': cv2.INPAINT_NS}


def dilate_mask(mask: np.ndarray, pixels: int) -> np.ndarray:
    """Grow a mask by ``pixels`` (exact Euclidean distance).

    A pixel is in the result if its centre lies within ``pixels`` of the
    centre of a mask pixel (OpenCV's precise distance transform), so
    ``pixels=1`` adds the 4-neighbours, ``pixels=2`` also the diagonal
    neighbours (distance 1.41) and the pixels two steps away in a row or a
    column.

    Args:
        mask (np.ndarray): HxW mask; any non-zero value is text.
        pixels (int): Growth in pixels (>= 0); 0 keeps the mask as it is.

    Returns:
        np.ndarray: HxW uint8 mask of 0 and 1.

    Raises:
        ValueError: If ``mask`` is not 2-D or ``pixels`` is negative or not
            an integer.
    """
    text = np.asarray(mask)
    if text.ndim != 2:
        raise ValueError(f'the mask must be a 2-D (H, W) array, got shape '
                         f'{text.shape}')
    if isinstance(pixels, bool) or not isinstance(pixels, (int, np.integer)):
        raise ValueError(f'dilation must be an integer number of pixels, '
                         f'got {pixels!r}')
    if pixels < 0:
        raise ValueError(f'dilation must be >= 0, got {pixels}')
    binary = (text != 0).astype(np.uint8)
    if pixels == 0 or not binary.any():
        return binary
    # Distance of every pixel to the nearest text pixel (text pixels: 0).
    distance = cv2.distanceTransform(1 - binary, cv2.DIST_L2,
                                     cv2.DIST_MASK_PRECISE)
    # Distances are square roots of integers; the tolerance keeps a pixel at
    # exactly `pixels` despite float32 rounding.
    return (distance <= pixels + 1e-3).astype(np.uint8)


class OpenCVInpainter:
    """Remove the masked pixels with ``cv2.inpaint``.

    Args:
        method (str): 'telea' (Telea's fast marching method) or 'ns'
            (Navier-Stokes). Defaults to 'telea'.
        radius (float): Neighbourhood radius of each inpainted pixel, in
            pixels. Defaults to 3.
    """

    def __init__(self, method: str = 'telea', radius: float = 3) -> None:
        if method not in CV2_INPAINT_METHODS:
            raise ValueError(f'unknown inpainting method {method!r}; '
                             f'choose one of {sorted(CV2_INPAINT_METHODS)}')
        self.method = method
        self.radius = radius

    def __call__(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Inpaint ``image`` where ``mask`` is non-zero.

        Args:
            image (np.ndarray): HxWx3 uint8 BGR image.
            mask (np.ndarray): HxW mask; non-zero pixels are replaced.

        Returns:
            np.ndarray: The inpainted HxWx3 uint8 image.
        """
        mask = (np.asarray(mask) > 0).astype(np.uint8) * 255
        return cv2.inpaint(image, mask, self.radius,
                           CV2_INPAINT_METHODS[self.method])

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.method!r}, radius={self.radius})'


def build_remover(remover: Union[str, Remover], radius: float = 3) -> Remover:
    """A remover from a method name of :class:`OpenCVInpainter` or a
    callable with the :data:`Remover` signature (returned as it is)."""
    if callable(remover):
        return remover
    return OpenCVInpainter(remover, radius)


def remove_masked_text(image: np.ndarray, mask: np.ndarray,
                       remover: Remover) -> np.ndarray:
    """Apply ``remover`` and keep the pixels outside ``mask`` unchanged.

    Whatever the remover does outside the mask is discarded, so the result
    differs from ``image`` only where ``mask`` is set.

    Args:
        image (np.ndarray): HxWx3 uint8 BGR image.
        mask (np.ndarray): HxW uint8 mask of 0 and 1 (already dilated).
        remover (Remover): The inpainter.

    Returns:
        np.ndarray: The text-free HxWx3 uint8 image.

    Raises:
        ValueError: The remover returned an image of another shape.
    """
    if not mask.any():
        return image.copy()
    removed = np.asarray(remover(image, mask))
    if removed.shape != image.shape:
        raise ValueError(f'the text remover {remover!r} returned an image '
                         f'of shape {removed.shape} for one of shape '
                         f'{image.shape}')
    return np.where(mask[..., None] > 0, removed.astype(np.uint8), image)
