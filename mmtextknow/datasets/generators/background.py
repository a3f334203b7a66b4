# Copyright (c) mmtextknow contributors. All rights reserved.
"""Backgrounds and colours: gradients, clutter shapes and text colours."""
import math
from typing import List, Tuple

import numpy as np
from PIL import Image, ImageDraw


def render_background(rng: np.random.Generator, w: int, h: int,
                      num_clutter: Tuple[int, int]) -> np.ndarray:
    """A random background: gradient plus clutter shapes.

    Args:
        rng (np.random.Generator): Random generator.
        w (int): Width.
        h (int): Height.
        num_clutter (tuple[int, int]): Inclusive range of clutter shapes.

    Returns:
        np.ndarray: Image, shape (h, w, 3), float32 in [0, 255].
    """
    image = _gradient(rng, w, h)
    num = int(rng.integers(num_clutter[0], num_clutter[1] + 1))
    return _add_clutter(rng, image, num)


def sample_text_colour(rng: np.random.Generator,
                       background_luma: float,
                       min_contrast: float,
                       tries: int = 20) -> np.ndarray:
    """A random colour whose luma differs enough from the background's.

    Args:
        rng (np.random.Generator): Random generator.
        background_luma (float): Background luma, 0-255.
        min_contrast (float): Minimal luma difference, 0-1.
        tries (int): Random tries before falling back to black or white.

    Returns:
        np.ndarray: RGB colour, shape (3, ), float32 in [0, 255].
    """
    for _ in range(tries):
        colour = rng.uniform(0, 255, size=3)
        if abs(luminance(colour) - background_luma) >= 255 * min_contrast:
            return colour.astype(np.float32)
    value = 0.0 if background_luma > 127.5 else 255.0
    return np.full(3, value, dtype=np.float32)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Luma (ITU-R BT.601) of RGB values.

    Args:
        rgb (np.ndarray): RGB values, shape (..., 3).

    Returns:
        np.ndarray: Luma, shape (...), same scale as the input.
    """
    return np.asarray(rgb, dtype=np.float64) @ np.array([0.299, 0.587, 0.114])


def _gradient(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A linear or radial gradient between two random colours.

    Returns:
        np.ndarray: Image, shape (h, w, 3), float32 in [0, 255].
    """
    colours = rng.uniform(0, 255, size=(2, 3)).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.5:
        angle = rng.uniform(0, 2 * math.pi)
        t = xx * math.cos(angle) + yy * math.sin(angle)
    else:
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        t = np.hypot(xx - cx, yy - cy)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    return colours[0] + (colours[1] - colours[0]) * t[..., None]


def _add_clutter(rng: np.random.Generator, image: np.ndarray,
                 num: int) -> np.ndarray:
    """Alpha-composite ``num`` semi-transparent clutter shapes.

    Args:
        rng (np.random.Generator): Random generator.
        image (np.ndarray): Image, (h, w, 3) float32.
        num (int): Number of shapes.

    Returns:
        np.ndarray: The image, (h, w, 3) float32.
    """
    h, w = image.shape[:2]
    base = Image.fromarray(np.clip(image + 0.5, 0, 255).astype(np.uint8))
    overlay = Image.new('RGBA', (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(num):
        _draw_clutter_shape(draw, rng, w, h)
    out = Image.alpha_composite(base.convert('RGBA'), overlay)
    return np.asarray(out.convert('RGB')).astype(np.float32)


def _draw_clutter_shape(draw: ImageDraw.ImageDraw, rng: np.random.Generator,
                        w: int, h: int) -> None:
    """Draw one random line, box, ellipse or polygon (RGBA fill)."""
    colour = tuple(int(v) for v in rng.integers(0, 256, size=3)) + (int(
        rng.integers(60, 160)), )
    kind = int(rng.integers(4))
    line_w = int(rng.integers(1, max(2, h // 64) + 1))
    if kind == 0:
        pts = rng.uniform([0, 0], [w, h], size=(int(rng.integers(2, 5)), 2))
        draw.line([tuple(p) for p in pts.tolist()], fill=colour, width=line_w)
    elif kind in (1, 2):
        filled = rng.random() < 0.5
        draw_box = draw.rectangle if kind == 1 else draw.ellipse
        draw_box(
            _random_box(rng, w, h),
            fill=colour if filled else None,
            outline=None if filled else colour,
            width=line_w)
    else:
        centre = rng.uniform([0, 0], [w, h])
        pts = centre + rng.normal(0, 0.15 * min(w, h),
                                  size=(int(rng.integers(3, 7)), 2))
        draw.polygon([tuple(p) for p in pts.tolist()], fill=colour)


def _random_box(rng: np.random.Generator, w: int, h: int) -> List[float]:
    """A random box ``[x0, y0, x1, y1]`` up to half the image size."""
    bw, bh = rng.uniform(0.05, 0.5) * w, rng.uniform(0.05, 0.5) * h
    x0, y0 = rng.uniform(-0.1 * w, w - 0.5 * bw), rng.uniform(
        -0.1 * h, h - 0.5 * bh)
    return [float(x0), float(y0), float(x0 + bw), float(y0 + bh)]
