# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text masks: word polygons and glyph coverage as uint8 masks."""
from typing import Sequence, Tuple

import cv2
import numpy as np

#: Alpha value (0-255) from which a rendered pixel is a glyph pixel.
GLYPH_ALPHA_THRESHOLD = 128


def glyph_pixels(alpha: np.ndarray) -> np.ndarray:
    """Which pixels of a glyph coverage map count as text.

    Args:
        alpha (np.ndarray): Glyph coverage, uint8 (0-255).

    Returns:
        np.ndarray: Boolean mask of the same shape.
    """
    return alpha >= GLYPH_ALPHA_THRESHOLD


def pixel_mask(alpha: np.ndarray) -> np.ndarray:
    """The pixel-level text mask of a glyph coverage map.

    Args:
        alpha (np.ndarray): Glyph coverage, (h, w) uint8.

    Returns:
        np.ndarray: 255 on glyph pixels, 0 elsewhere, (h, w) uint8.
    """
    return np.where(glyph_pixels(alpha), 255, 0).astype(np.uint8)


def rasterize_polygons(polygons: Sequence[Sequence[float]],
                       size_hw: Tuple[int, int]) -> np.ndarray:
    """Fill polygons into a uint8 mask (255 inside).

    Points are rounded to the nearest integer pixel, then filled with
    ``cv2.fillPoly``.

    Args:
        polygons (Sequence[Sequence[float]]): Flat polygons
            ``[x1, y1, x2, y2, ...]``.
        size_hw (tuple[int, int]): Mask size ``(h, w)``.

    Returns:
        np.ndarray: The mask, shape (h, w), dtype uint8.
    """
    mask = np.zeros(size_hw, dtype=np.uint8)
    for polygon in polygons:
        pts = np.round(np.asarray(polygon, dtype=np.float64).reshape(-1, 2))
        cv2.fillPoly(mask, [pts.astype(np.int32)], 255)
    return mask
