# Copyright (c) mmtextknow contributors. All rights reserved.
"""Word geometry: a word's glyphs and polygon in its own canvas.

A layout function renders the glyphs as :class:`Patch` es, each with an
affine map into word-local coordinates, and returns the word polygon in the
same coordinates: :func:`rigid_layout` for straight (horizontal or rotated)
words, :func:`curved_layout` for words along a circular arc (:class:`Arc`).
:func:`compose_layout` then warps the patches into a canvas just enclosing
polygon and glyphs, giving a :class:`WordLayout`.
"""
import math
from dataclasses import dataclass
from typing import List, Tuple

import cv2
import numpy as np
from PIL import ImageFont

from .fonts import ink_box, render_text


@dataclass
class WordLayout:
    """A word rendered in its own canvas.

    Attributes:
        text (str): Transcript.
        shape (str): One of :data:`~.config.SHAPES`.
        alpha (np.ndarray): Glyph coverage in the canvas, (h, w) uint8.
        polygon (np.ndarray): Polygon in canvas pixels, shape (N, 2).
    """
    text: str
    shape: str
    alpha: np.ndarray
    polygon: np.ndarray


@dataclass
class Patch:
    """A rendered piece of text and where it goes.

    Attributes:
        alpha (np.ndarray): Coverage, shape (h, w), uint8.
        matrix (np.ndarray): 2x3 affine map from patch pixels to word-local
            coordinates.
    """
    alpha: np.ndarray
    matrix: np.ndarray


def rigid_layout(font: ImageFont.FreeTypeFont, text: str, pad: float,
                 angle: float) -> Tuple[List[Patch], np.ndarray]:
    """Patch and 4-point polygon of a straight word rotated by ``angle``.

    Coordinates are relative to the centre of the word's ink box.

    Args:
        font (ImageFont.FreeTypeFont): Font.
        text (str): The word.
        pad (float): Margin between the ink box and the polygon, in pixels.
        angle (float): Rotation in radians (clockwise on screen).

    Returns:
        tuple[list[Patch], np.ndarray]: The single patch of the word and the
        polygon, shape (4, 2), clockwise on screen.
    """
    alpha, offset = render_text(font, text)
    l, t, r, b = ink_box(font, text)
    centre = np.array([(l + r - 1) / 2, (t + b - 1) / 2])
    rot = rotation_matrix(angle)
    patch = Patch(alpha, _affine(rot, rot @ (offset - centre)))
    x0, y0, x1, y1 = l - pad, t - pad, r - 1 + pad, b - 1 + pad
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    polygon = (corners - centre) @ rot.T
    return [patch], polygon


@dataclass
class Arc:
    """Bends a straight word frame onto a circular arc.

    Maps word-frame points ``(u, v)`` (u along the baseline, v down) to
    word-local coordinates. The line ``v = mid`` is bent onto a circle of
    radius ``radius``; the point ``u = u_centre`` lands at the origin.
    ``sign`` is +1 for an arc bulging upwards and -1 for one bulging
    downwards. The result is rotated by ``angle``.

    Attributes:
        radius (float): Radius of the circle of ``v = mid``.
        u_centre (float): Baseline position mapped to the origin.
        mid (float): ``v`` of the line bent onto the circle.
        sign (int): +1 (bulging upwards) or -1 (downwards).
        angle (float): Rotation of the result, in radians.
    """
    radius: float
    u_centre: float
    mid: float
    sign: int
    angle: float

    def theta(self, u: np.ndarray) -> np.ndarray:
        """Arc angle of baseline position ``u``."""
        return (np.asarray(u, dtype=np.float64) - self.u_centre) / self.radius

    def map(self, uv: np.ndarray) -> np.ndarray:
        """Map word-frame points, shape (N, 2), to word-local ones."""
        uv = np.asarray(uv, dtype=np.float64).reshape(-1, 2)
        a = self.theta(uv[:, 0])
        rad = self.radius - self.sign * (uv[:, 1] - self.mid)
        pts = np.stack([rad * np.sin(a), -self.sign * rad * np.cos(a)], 1)
        pts[:, 1] += self.sign * self.radius
        return pts @ rotation_matrix(self.angle).T

    def glyph_matrix(self, u: float, offset: np.ndarray) -> np.ndarray:
        """2x3 matrix of a glyph patch centred at baseline position ``u``.

        The glyph is rotated rigidly to the arc's tangent at ``u``.
        """
        rot = rotation_matrix(self.angle) @ rotation_matrix(
            self.sign * float(self.theta(u)))
        anchor = np.array([u, self.mid])
        centre = self.map(anchor)[0]
        return _affine(rot, centre + rot @ (offset - anchor))


def curved_layout(font: ImageFont.FreeTypeFont, text: str, pad: float,
                  arc_angle: float, sign: int, angle: float,
                  num_points: int) -> Tuple[List[Patch], np.ndarray]:
    """Patches and ``2 * num_points``-point polygon of a curved word.

    Characters are rendered one by one and placed along the arc, each
    rotated to the tangent. The polygon is the upper boundary, left to
    right, then the lower boundary, right to left (clockwise on screen).

    Args:
        font (ImageFont.FreeTypeFont): Font.
        text (str): The word.
        pad (float): Margin between the glyphs and the polygon, in pixels.
        arc_angle (float): Angle spanned by the word's arc, in radians.
        sign (int): +1 for an arc bulging upwards, -1 for downwards.
        angle (float): Rotation of the whole word, in radians.
        num_points (int): Points per side of the polygon.

    Returns:
        tuple[list[Patch], np.ndarray]: One patch per inked character and
        the polygon, shape (2 * num_points, 2).
    """
    chars = []  # (patch alpha, offset in word frame, ink box in word frame)
    for i, ch in enumerate(text):
        rendered = render_text(font, ch)
        if rendered is None:
            continue
        origin = font.getlength(text[:i])
        l, t, r, b = ink_box(font, ch)
        chars.append((rendered[0], rendered[1] + [origin, 0.0],
                      (origin + l, t, origin + r - 1, b - 1)))
    boxes = np.array([c[2] for c in chars])
    l, t = boxes[:, 0].min(), boxes[:, 1].min()
    r, b = boxes[:, 2].max(), boxes[:, 3].max()
    half_h = (b - t) / 2
    width = max(r - l, 1.0)
    radius = max(width / arc_angle, 2.0 * (half_h + pad) + 2.0)
    arc = Arc(radius, (l + r) / 2, (t + b) / 2, sign, angle)
    patches = [
        Patch(alpha, arc.glyph_matrix((box[0] + box[2]) / 2, offset))
        for alpha, offset, box in chars
    ]
    # Rigid glyphs stick out of the arc's end lines on the inner side:
    # extend the ends by that overshoot (minus the padding already there).
    half_glyph = ((boxes[:, 2] - boxes[:, 0]) / 2).max() + 0.5
    extra = max(0.0, half_glyph * half_h / (radius - half_h) - pad + 1.0)
    us = np.linspace(l - pad - extra, r + pad + extra, num_points)
    upper = np.stack([us, np.full_like(us, t - pad)], 1)
    lower = np.stack([us[::-1], np.full_like(us, b + pad)], 1)
    polygon = arc.map(np.concatenate([upper, lower]))
    return patches, polygon


def compose_layout(text: str, shape: str, patches: List[Patch],
                   polygon: np.ndarray) -> WordLayout:
    """Warp the patches into a canvas just enclosing polygon and glyphs.

    Args:
        text (str): The word.
        shape (str): Its shape, one of :data:`~.config.SHAPES`.
        patches (list[Patch]): The glyph patches (word-local coordinates).
        polygon (np.ndarray): The polygon (word-local coordinates), (N, 2).

    Returns:
        WordLayout: The word in its canvas; the polygon is shifted to canvas
        pixels.
    """
    points = [polygon]
    for patch in patches:
        h, w = patch.alpha.shape
        corners = np.array([[0, 0, 1], [w - 1, 0, 1], [w - 1, h - 1, 1],
                            [0, h - 1, 1]], dtype=np.float64)
        points.append(corners @ patch.matrix.T)
    points = np.concatenate(points)
    origin = np.floor(points.min(axis=0)) - 1
    size = (np.ceil(points.max(axis=0)) + 1 - origin + 1).astype(int)
    canvas = np.zeros((size[1], size[0]), dtype=np.uint8)
    for patch in patches:
        matrix = patch.matrix.copy()
        matrix[:, 2] -= origin
        warped = cv2.warpAffine(
            patch.alpha,
            matrix, (int(size[0]), int(size[1])),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=0)
        np.maximum(canvas, warped, out=canvas)
    return WordLayout(text, shape, canvas, polygon - origin)


def rotation_matrix(angle: float) -> np.ndarray:
    """2x2 rotation matrix (image coordinates, y down).

    Args:
        angle (float): Angle in radians.

    Returns:
        np.ndarray: The matrix, shape (2, 2).
    """
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s], [s, c]])


def _affine(linear: np.ndarray, translation: np.ndarray) -> np.ndarray:
    """Stack a 2x2 linear part and a translation into a 2x3 matrix."""
    return np.hstack([linear, np.asarray(translation).reshape(2, 1)])
