# Copyright (c) mmtextknow contributors. All rights reserved.
"""A deterministic synthetic scene-text dataset generator.

Words from a small vocabulary are rendered with Pillow's built-in scalable
font onto random backgrounds (gradients, clutter shapes and noise), as
axis-aligned, rotated or curved (characters along a circular arc) text.
Each image comes with its word polygons, a pixel-level text mask (the
rendered glyph pixels) and a polygon-level mask, and a split is written as
an MMOCR 1.x ``OCRDataset`` (TextDetDataset) annotation file.

Every image is rendered from its own random generator, derived from
``(seed, split, index)``, so the same options always give byte-identical
files and image ``i`` does not depend on how many images are generated.

Example::

    >>> from mmtextknow.datasets.generators import generate_dataset
    >>> generate_dataset('data/toy_scenetext', {'train': 96, 'test': 24})
    {'train': 'data/toy_scenetext/textdet_train.json', ...}
"""
import json
import math
import os
import os.path as osp
import zlib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
import PIL
from PIL import Image, ImageDraw, ImageFont

#: The word shapes, in the order used to sample them.
SHAPES = ('horizontal', 'rotated', 'curved')

#: The built-in vocabulary.
DEFAULT_VOCABULARY = ('HELLO', 'world', 'TEXT', 'open', 'STOP', 'cafe',
                      'SALE', 'exit', 'PARK', 'road', 'HOTEL', 'bank',
                      'TAXI', 'food', 'SHOP', 'city', 'BAR', 'music', 'NEWS',
                      'pizza', 'FREE', 'market', 'POLICE', 'coffee', 'BUS',
                      'sign')

#: Smallest font size (pixels) a configuration may produce.
MIN_FONT_PX = 8
#: Minimal distance (pixels) between a word and the image border.
BORDER_MARGIN = 1
#: Alpha value (0-255) from which a rendered pixel is a glyph pixel.
GLYPH_ALPHA_THRESHOLD = 128
#: Number of position tries per sampled word geometry.
POSITION_TRIES_PER_LAYOUT = 10

Polygon = List[float]


@dataclass
class SceneTextGeneratorConfig:
    """Options of :class:`SceneTextGenerator`.

    Args:
        img_size (int or tuple[int, int]): Image size ``(w, h)``; an int
            gives a square image. Defaults to 256.
        words_per_image (tuple[int, int]): Inclusive range of the number of
            words tried per image. Defaults to (1, 3).
        vocabulary (Sequence[str]): Words to draw from. Defaults to
            :data:`DEFAULT_VOCABULARY`.
        font_size (tuple[float, float]): Range of the font size, as
            fractions of the image height. Defaults to (0.08, 0.16).
        shape_probs (dict[str, float]): Relative probabilities of the word
            shapes ``horizontal``, ``rotated`` and ``curved`` (missing keys
            are 0). Defaults to 0.4 / 0.3 / 0.3.
        max_rotation_deg (float): Largest rotation of a rotated word, in
            degrees; curved words are rotated by up to half of it.
            Defaults to 30.
        curve_arc_deg (tuple[float, float]): Range of the angle (degrees)
            spanned by the arc of a curved word. Defaults to (45, 150).
        curve_num_points (int): Points per side of a curved word's polygon.
            Defaults to 7 (a 14-point polygon).
        polygon_padding (float): Margin between the glyphs and the polygon,
            as a fraction of the font size (at least 2 pixels).
            Defaults to 0.1.
        min_word_gap (int): Minimal distance between two word polygons, in
            pixels. Defaults to 4.
        max_tries (int): Placement tries per word before it is dropped.
            Defaults to 30.
        min_contrast (float): Minimal luminance difference (0-1) between a
            word's colour and its background. Defaults to 0.4.
        noise_std (tuple[float, float]): Range of the standard deviation of
            the Gaussian pixel noise (0-255 scale). Defaults to (0, 6).
        num_clutter (tuple[int, int]): Inclusive range of the number of
            clutter shapes (lines, boxes, ellipses, polygons).
            Defaults to (2, 8).
        blur_prob (float): Probability of a slight Gaussian blur.
            Defaults to 0.2.
        seed (int): Seed of the dataset. Defaults to 0.
    """
    img_size: Union[int, Tuple[int, int]] = 256
    words_per_image: Tuple[int, int] = (1, 3)
    vocabulary: Sequence[str] = DEFAULT_VOCABULARY
    font_size: Tuple[float, float] = (0.08, 0.16)
    shape_probs: Dict[str, float] = field(default_factory=lambda: dict(
        horizontal=0.4, rotated=0.3, curved=0.3))
    max_rotation_deg: float = 30.0
    curve_arc_deg: Tuple[float, float] = (45.0, 150.0)
    curve_num_points: int = 7
    polygon_padding: float = 0.1
    min_word_gap: int = 4
    max_tries: int = 30
    min_contrast: float = 0.4
    noise_std: Tuple[float, float] = (0.0, 6.0)
    num_clutter: Tuple[int, int] = (2, 8)
    blur_prob: float = 0.2
    seed: int = 0

    def __post_init__(self) -> None:
        self._normalise()
        self.validate()

    @property
    def width(self) -> int:
        """int: Image width."""
        return self.img_size[0]

    @property
    def height(self) -> int:
        """int: Image height."""
        return self.img_size[1]

    def font_px_range(self) -> Tuple[int, int]:
        """Font size range in pixels.

        Returns:
            tuple[int, int]: The smallest and largest font size.
        """
        lo, hi = self.font_size
        return (int(round(lo * self.height)), int(round(hi * self.height)))

    def to_dict(self) -> dict:
        """The options as a JSON-serialisable dict (tuples become lists)."""
        return json.loads(json.dumps(asdict(self)))

    def _normalise(self) -> None:
        """Turn ints, lists and mappings into the canonical types."""
        if isinstance(self.img_size, (int, np.integer)):
            self.img_size = (int(self.img_size), int(self.img_size))
        self.img_size = _int_pair(self.img_size, 'img_size')
        self.words_per_image = _int_pair(self.words_per_image,
                                         'words_per_image')
        self.num_clutter = _int_pair(self.num_clutter, 'num_clutter')
        self.font_size = _float_pair(self.font_size, 'font_size')
        self.curve_arc_deg = _float_pair(self.curve_arc_deg, 'curve_arc_deg')
        self.noise_std = _float_pair(self.noise_std, 'noise_std')
        if isinstance(self.vocabulary, str):
            raise ValueError('vocabulary must be a sequence of words, '
                             f'not the string {self.vocabulary!r}')
        self.vocabulary = tuple(self.vocabulary)
        if not isinstance(self.shape_probs, dict):
            raise ValueError('shape_probs must be a dict, got '
                             f'{type(self.shape_probs).__name__}')
        unknown = sorted(set(self.shape_probs) - set(SHAPES))
        if unknown:
            raise ValueError(f'unknown shapes in shape_probs: {unknown}; '
                             f'expected a subset of {list(SHAPES)}')
        self.shape_probs = {
            s: float(self.shape_probs.get(s, 0.0))
            for s in SHAPES
        }

    def validate(self) -> None:
        """Check the options.

        Raises:
            ValueError: If an option is out of range or inconsistent, e.g.
                an empty vocabulary, shape probabilities that do not sum to
                more than 0, or an image too small for the font.
        """
        _check_range(self.words_per_image, 'words_per_image', 0)
        if self.words_per_image[1] < 1:
            raise ValueError('words_per_image max must be >= 1')
        _check_range(self.num_clutter, 'num_clutter', 0)
        _check_range(self.noise_std, 'noise_std', 0.0)
        _check_range(self.curve_arc_deg, 'curve_arc_deg', 1.0, 180.0)
        _check_range(self.font_size, 'font_size', 1e-6, 1.0)
        probs = np.array(list(self.shape_probs.values()), dtype=np.float64)
        if not np.all(np.isfinite(probs)) or np.any(probs < 0) or \
                probs.sum() <= 0:
            raise ValueError('shape_probs must be finite, >= 0 and sum to '
                             f'more than 0, got {self.shape_probs}')
        _check_scalar(self.max_rotation_deg, 'max_rotation_deg', 0.0, 90.0)
        _check_scalar(self.polygon_padding, 'polygon_padding', 0.0, 1.0)
        _check_scalar(self.min_contrast, 'min_contrast', 0.0, 0.5)
        _check_scalar(self.blur_prob, 'blur_prob', 0.0, 1.0)
        for name in ('curve_num_points', 'min_word_gap', 'max_tries',
                     'seed'):
            _check_int(getattr(self, name), name)
        if self.curve_num_points < 3:
            raise ValueError('curve_num_points must be >= 3')
        if self.max_tries < 1:
            raise ValueError('max_tries must be >= 1')
        _check_vocabulary(self.vocabulary)
        self._check_font_fits()

    def _check_font_fits(self) -> None:
        """Check that every word fits in the image at the smallest font."""
        lo_px, hi_px = self.font_px_range()
        if min(self.img_size) < 16:
            raise ValueError(f'img_size {self.img_size} is too small '
                             '(min 16 pixels)')
        if lo_px < MIN_FONT_PX:
            raise ValueError(
                f'image height {self.height} is too small for font_size '
                f'{self.font_size}: the smallest font would be {lo_px} px '
                f'(min {MIN_FONT_PX}); increase img_size or font_size')
        if hi_px > self.height // 2:
            raise ValueError(f'font_size {self.font_size} is too large: '
                             f'{hi_px} px > half the image height')
        font = get_font(lo_px)
        pad = padding_px(lo_px, self.polygon_padding)
        usable = self.width - 2 * (BORDER_MARGIN + pad + 2)
        for word in self.vocabulary:
            if font.getlength(word) > usable:
                raise ValueError(
                    f'image width {self.width} is too small for the word '
                    f'{word!r} at the smallest font size ({lo_px} px); '
                    'increase img_size or decrease font_size')


def _int_pair(value, name: str) -> Tuple[int, int]:
    """Convert ``value`` to a pair of ints or raise ValueError."""
    try:
        pair = tuple(value)
    except TypeError:
        raise ValueError(f'{name} must be a pair, got {value!r}') from None
    if len(pair) != 2 or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool)
            for v in pair):
        raise ValueError(f'{name} must be a pair of ints, got {value!r}')
    return (int(pair[0]), int(pair[1]))


def _float_pair(value, name: str) -> Tuple[float, float]:
    """Convert ``value`` to a pair of floats or raise ValueError."""
    try:
        pair = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(
            f'{name} must be a pair of numbers, got {value!r}') from None
    if len(pair) != 2:
        raise ValueError(f'{name} must be a pair, got {value!r}')
    return pair


def _check_range(pair: tuple,
                 name: str,
                 lo: float,
                 hi: float = math.inf) -> None:
    """Check ``lo <= pair[0] <= pair[1] <= hi`` (finite values)."""
    if not (np.all(np.isfinite(pair)) and lo <= pair[0] <= pair[1] <= hi):
        raise ValueError(f'{name} must satisfy {lo} <= min <= max <= {hi}, '
                         f'got {pair}')


def _check_scalar(value: float, name: str, lo: float, hi: float) -> None:
    """Check ``lo <= value <= hi``."""
    if not (isinstance(value, (int, float, np.number))
            and lo <= value <= hi):
        raise ValueError(f'{name} must be in [{lo}, {hi}], got {value!r}')


def _check_int(value: int, name: str) -> None:
    """Check that ``value`` is a non-negative int."""
    if isinstance(value, bool) or not isinstance(
            value, (int, np.integer)) or value < 0:
        raise ValueError(f'{name} must be an int >= 0, got {value!r}')


def _check_vocabulary(vocabulary: Sequence[str]) -> None:
    """Check that the vocabulary holds printable, non-blank words."""
    if len(vocabulary) == 0:
        raise ValueError('vocabulary is empty')
    for word in vocabulary:
        if not isinstance(word, str) or not word.strip() or \
                not word.isprintable() or word != word.strip():
            raise ValueError('vocabulary words must be printable, non-empty '
                             'strings without leading/trailing spaces, got '
                             f'{word!r}')


@lru_cache(maxsize=None)
def get_font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's built-in scalable font at ``size`` pixels (cached).

    Args:
        size (int): Font size in pixels.

    Returns:
        ImageFont.FreeTypeFont: The font.
    """
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError('Pillow >= 10.1 with FreeType support is needed '
                           'for a scalable default font')
    return font


def padding_px(font_px: int, polygon_padding: float) -> float:
    """Margin between glyphs and word polygon, in pixels.

    Args:
        font_px (int): Font size in pixels.
        polygon_padding (float): Padding as a fraction of the font size.

    Returns:
        float: The padding, at least 2 pixels.
    """
    return max(2.0, polygon_padding * font_px)


def make_rng(seed: int, split: str, index: int) -> np.random.Generator:
    """The random generator of one image.

    It depends only on ``(seed, split, index)``.

    Args:
        seed (int): Dataset seed (>= 0).
        split (str): Split name.
        index (int): Image index in the split.

    Returns:
        np.random.Generator: The image's generator.
    """
    split_key = zlib.crc32(split.encode('utf-8'))
    return np.random.default_rng(
        np.random.SeedSequence([int(seed), split_key, int(index)]))


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------


def rotation_matrix(angle: float) -> np.ndarray:
    """2x2 rotation matrix (image coordinates, y down).

    Args:
        angle (float): Angle in radians.

    Returns:
        np.ndarray: The matrix, shape (2, 2).
    """
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s], [s, c]])


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


def polygon_to_bbox(polygon: Sequence[float]) -> List[float]:
    """Axis-aligned box ``[x1, y1, x2, y2]`` of a flat polygon."""
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    x1, y1 = pts.min(axis=0)
    x2, y2 = pts.max(axis=0)
    return [float(x1), float(y1), float(x2), float(y2)]


def _round_list(points: np.ndarray) -> List[float]:
    """Flatten and round to 2 decimals (no ``-0.0``)."""
    return [float(v) + 0.0 for v in np.round(points.reshape(-1), 2)]


# --------------------------------------------------------------------------
# Glyph rendering
# --------------------------------------------------------------------------


@dataclass
class _Patch:
    """A rendered piece of text and where it goes.

    Attributes:
        alpha (np.ndarray): Coverage, shape (h, w), uint8.
        matrix (np.ndarray): 2x3 affine map from patch pixels to word-local
            coordinates.
    """
    alpha: np.ndarray
    matrix: np.ndarray


def _ink_box(font: ImageFont.FreeTypeFont,
             text: str) -> Tuple[int, int, int, int]:
    """Ink box ``(l, t, r, b)`` of ``text`` relative to its left baseline.

    Pixels ``l <= x < r`` and ``t <= y < b`` hold ink.
    """
    return tuple(int(v) for v in font.getbbox(text, anchor='ls'))


def _render_patch(font: ImageFont.FreeTypeFont,
                  text: str) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """Render ``text`` into a tight alpha patch (1-pixel border).

    Args:
        font (ImageFont.FreeTypeFont): Font.
        text (str): Text to render.

    Returns:
        tuple[np.ndarray, np.ndarray] or None: The alpha patch (uint8) and
        the offset ``(dx, dy)`` so that patch pixel ``(x, y)`` is at
        ``(x + dx, y + dy)`` relative to the left baseline point; None if
        the text has no ink (e.g. a space).
    """
    l, t, r, b = _ink_box(font, text)
    if r <= l or b <= t:
        return None
    img = Image.new('L', (r - l + 2, b - t + 2), 0)
    ImageDraw.Draw(img).text((1 - l, 1 - t),
                             text,
                             fill=255,
                             font=font,
                             anchor='ls')
    return np.asarray(img), np.array([l - 1.0, t - 1.0])


def _affine(linear: np.ndarray, translation: np.ndarray) -> np.ndarray:
    """Stack a 2x2 linear part and a translation into a 2x3 matrix."""
    return np.hstack([linear, np.asarray(translation).reshape(2, 1)])


# --------------------------------------------------------------------------
# Word layouts (word-local coordinates)
# --------------------------------------------------------------------------


@dataclass
class WordLayout:
    """A word rendered in its own canvas.

    Attributes:
        text (str): Transcript.
        shape (str): One of :data:`SHAPES`.
        alpha (np.ndarray): Glyph coverage in the canvas, (h, w) uint8.
        polygon (np.ndarray): Polygon in canvas pixels, shape (N, 2).
    """
    text: str
    shape: str
    alpha: np.ndarray
    polygon: np.ndarray


def _rigid_layout(font: ImageFont.FreeTypeFont, text: str, pad: float,
                  angle: float) -> Tuple[List[_Patch], np.ndarray]:
    """Patches and 4-point polygon of a straight word rotated by ``angle``.

    Coordinates are relative to the centre of the word's ink box.
    """
    alpha, offset = _render_patch(font, text)
    l, t, r, b = _ink_box(font, text)
    centre = np.array([(l + r - 1) / 2, (t + b - 1) / 2])
    rot = rotation_matrix(angle)
    patch = _Patch(alpha, _affine(rot, rot @ (offset - centre)))
    x0, y0, x1, y1 = l - pad, t - pad, r - 1 + pad, b - 1 + pad
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    polygon = (corners - centre) @ rot.T
    return [patch], polygon


@dataclass
class _Arc:
    """Maps word-frame points ``(u, v)`` (u along the baseline, v down) to
    word-local coordinates along a circular arc.

    The line ``v = mid`` is bent onto a circle of radius ``radius``; the
    point ``u = u_centre`` lands at the origin. ``sign`` is +1 for an arc
    bulging upwards and -1 for one bulging downwards. The result is rotated
    by ``angle``.
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


def _curved_layout(font: ImageFont.FreeTypeFont, text: str, pad: float,
                   arc_angle: float, sign: int, angle: float,
                   num_points: int) -> Tuple[List[_Patch], np.ndarray]:
    """Patches and ``2 * num_points``-point polygon of a curved word.

    Characters are rendered one by one and placed along the arc, each
    rotated to the tangent. The polygon is the upper boundary, left to
    right, then the lower boundary, right to left (clockwise on screen).
    """
    chars = []  # (patch alpha, offset in word frame, ink box in word frame)
    for i, ch in enumerate(text):
        rendered = _render_patch(font, ch)
        if rendered is None:
            continue
        origin = font.getlength(text[:i])
        l, t, r, b = _ink_box(font, ch)
        chars.append((rendered[0], rendered[1] + [origin, 0.0],
                      (origin + l, t, origin + r - 1, b - 1)))
    boxes = np.array([c[2] for c in chars])
    l, t = boxes[:, 0].min(), boxes[:, 1].min()
    r, b = boxes[:, 2].max(), boxes[:, 3].max()
    half_h = (b - t) / 2
    width = max(r - l, 1.0)
    radius = max(width / arc_angle, 2.0 * (half_h + pad) + 2.0)
    arc = _Arc(radius, (l + r) / 2, (t + b) / 2, sign, angle)
    patches = [
        _Patch(alpha, arc.glyph_matrix((box[0] + box[2]) / 2, offset))
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


def _compose_layout(text: str, shape: str, patches: List[_Patch],
                    polygon: np.ndarray) -> WordLayout:
    """Warp the patches into a canvas just enclosing polygon and glyphs."""
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


# --------------------------------------------------------------------------
# Background
# --------------------------------------------------------------------------


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Luma (ITU-R BT.601) of RGB values, same scale as the input."""
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


def _random_box(rng: np.random.Generator, w: int, h: int) -> List[float]:
    """A random box ``[x0, y0, x1, y1]`` up to half the image size."""
    bw, bh = rng.uniform(0.05, 0.5) * w, rng.uniform(0.05, 0.5) * h
    x0, y0 = rng.uniform(-0.1 * w, w - 0.5 * bw), rng.uniform(
        -0.1 * h, h - 0.5 * bh)
    return [float(x0), float(y0), float(x0 + bw), float(y0 + bh)]


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
    elif kind == 1:
        filled = rng.random() < 0.5
        draw.rectangle(
            _random_box(rng, w, h),
            fill=colour if filled else None,
            outline=None if filled else colour,
            width=line_w)
    elif kind == 2:
        filled = rng.random() < 0.5
        draw.ellipse(
            _random_box(rng, w, h),
            fill=colour if filled else None,
            outline=None if filled else colour,
            width=line_w)
    else:
        centre = rng.uniform([0, 0], [w, h])
        pts = centre + rng.normal(0, 0.15 * min(w, h),
                                  size=(int(rng.integers(3, 7)), 2))
        draw.polygon([tuple(p) for p in pts.tolist()], fill=colour)


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


# --------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------


@dataclass
class SceneTextSample:
    """One rendered image and its annotations.

    Attributes:
        image (np.ndarray): RGB image, (h, w, 3) uint8.
        pixel_mask (np.ndarray): 255 on glyph pixels, (h, w) uint8.
        polygon_mask (np.ndarray): 255 inside word polygons, (h, w) uint8.
        words (list[dict]): Per word: ``polygon`` (flat, clockwise),
            ``bbox`` ``[x1, y1, x2, y2]``, ``text`` and ``shape``.
    """
    image: np.ndarray
    pixel_mask: np.ndarray
    polygon_mask: np.ndarray
    words: List[dict]


class SceneTextGenerator:
    """Render synthetic scene-text images.

    Args:
        cfg (SceneTextGeneratorConfig, optional): Options; defaults to
            ``SceneTextGeneratorConfig()``.
    """

    def __init__(self, cfg: Optional[SceneTextGeneratorConfig] = None):
        self.cfg = cfg if cfg is not None else SceneTextGeneratorConfig()
        self.cfg.validate()
        probs = np.array([self.cfg.shape_probs[s] for s in SHAPES])
        self._shape_p = probs / probs.sum()

    def render_index(self, split: str, index: int) -> SceneTextSample:
        """Render image ``index`` of ``split`` (see :func:`make_rng`)."""
        return self.render(make_rng(self.cfg.seed, split, index))

    def render(self, rng: np.random.Generator) -> SceneTextSample:
        """Render one image.

        Args:
            rng (np.random.Generator): Random generator; the sample is a
                function of its state only.

        Returns:
            SceneTextSample: The image, masks and words.
        """
        cfg = self.cfg
        w, h = cfg.img_size
        image = render_background(rng, w, h, cfg.num_clutter)
        alpha = np.zeros((h, w), dtype=np.uint8)
        occupied = np.zeros((h, w), dtype=np.uint8)
        words = []
        lo, hi = cfg.words_per_image
        for _ in range(int(rng.integers(lo, hi + 1))):
            placed = self._place_word(rng, occupied)
            if placed is None:
                continue
            layout, (x, y) = placed
            self._paint_word(rng, image, alpha, layout, x, y)
            words.append(self._word_annotation(layout, x, y))
        image = self._degrade(rng, image)
        polygon_mask = rasterize_polygons([wd['polygon'] for wd in words],
                                          (h, w))
        pixel_mask = np.where(alpha >= GLYPH_ALPHA_THRESHOLD, 255,
                              0).astype(np.uint8)
        return SceneTextSample(image, pixel_mask, polygon_mask, words)

    def sample_layout(self, rng: np.random.Generator, text: str,
                      shape: str) -> WordLayout:
        """Sample font size and geometry of a word and render it.

        Args:
            rng (np.random.Generator): Random generator.
            text (str): The word.
            shape (str): One of :data:`SHAPES`.

        Returns:
            WordLayout: The rendered word in its own canvas.
        """
        cfg = self.cfg
        font_px = self._sample_font_px(rng, text)
        font = get_font(font_px)
        pad = padding_px(font_px, cfg.polygon_padding)
        max_rot = math.radians(cfg.max_rotation_deg)
        if shape == 'curved':
            patches, polygon = _curved_layout(
                font,
                text,
                pad,
                arc_angle=math.radians(rng.uniform(*cfg.curve_arc_deg)),
                sign=1 if rng.random() < 0.5 else -1,
                angle=rng.uniform(-0.5, 0.5) * max_rot,
                num_points=cfg.curve_num_points)
        else:
            angle = 0.0
            if shape == 'rotated':
                angle = rng.uniform(0.2, 1.0) * max_rot * rng.choice([-1, 1])
            patches, polygon = _rigid_layout(font, text, pad, angle)
        return _compose_layout(text, shape, patches, polygon)

    def _sample_font_px(self, rng: np.random.Generator, text: str) -> int:
        """Sample a font size, shrunk until ``text`` fits the image width."""
        cfg = self.cfg
        lo_px, hi_px = cfg.font_px_range()
        size = int(rng.integers(lo_px, hi_px + 1))
        while size > lo_px:
            pad = padding_px(size, cfg.polygon_padding)
            usable = cfg.width - 2 * (BORDER_MARGIN + pad + 2)
            if get_font(size).getlength(text) <= usable:
                break
            size -= 1
        return size

    def _place_word(self, rng: np.random.Generator, occupied: np.ndarray
                    ) -> Optional[Tuple[WordLayout, Tuple[int, int]]]:
        """Sample a word and a free position for it.

        The word and its shape are sampled once; its geometry is resampled
        every :data:`POSITION_TRIES_PER_LAYOUT` tries. After
        ``cfg.max_tries`` failed tries the word is dropped.

        Args:
            rng (np.random.Generator): Random generator.
            occupied (np.ndarray): Mask of taken pixels (updated in place
                when the word is placed).

        Returns:
            tuple or None: The layout and its top-left ``(x, y)`` in the
            image, or None if the word could not be placed.
        """
        cfg = self.cfg
        text = cfg.vocabulary[int(rng.integers(len(cfg.vocabulary)))]
        shape = SHAPES[int(rng.choice(len(SHAPES), p=self._shape_p))]
        layout = None
        for attempt in range(cfg.max_tries):
            if attempt % POSITION_TRIES_PER_LAYOUT == 0:
                layout = self.sample_layout(rng, text, shape)
            position = self._try_position(rng, layout, occupied)
            if position is not None:
                return layout, position
        return None

    def _try_position(self, rng: np.random.Generator, layout: WordLayout,
                      occupied: np.ndarray) -> Optional[Tuple[int, int]]:
        """Try one random position; mark it occupied if free.

        Returns:
            tuple[int, int] or None: Top-left ``(x, y)`` of the canvas, or
            None if the word does not fit or overlaps another word.
        """
        h, w = occupied.shape
        ch, cw = layout.alpha.shape
        if cw > w - 2 * BORDER_MARGIN or ch > h - 2 * BORDER_MARGIN:
            return None
        x = int(rng.integers(BORDER_MARGIN, w - BORDER_MARGIN - cw + 1))
        y = int(rng.integers(BORDER_MARGIN, h - BORDER_MARGIN - ch + 1))
        local = rasterize_polygons([layout.polygon], (ch, cw))
        if np.any(occupied[y:y + ch, x:x + cw] & local):
            return None
        pts = np.round(layout.polygon + [x, y]).astype(np.int32)
        cv2.fillPoly(occupied, [pts], 255)
        gap = self.cfg.min_word_gap
        if gap > 0:
            cv2.polylines(occupied, [pts], True, 255, thickness=2 * gap + 1)
        return x, y

    def _paint_word(self, rng: np.random.Generator, image: np.ndarray,
                    alpha: np.ndarray, layout: WordLayout, x: int,
                    y: int) -> None:
        """Blend a word in a contrasting colour into ``image`` (in place).

        ``alpha`` (the image's glyph coverage) is updated in place too.
        """
        ch, cw = layout.alpha.shape
        roi = image[y:y + ch, x:x + cw]
        glyph = layout.alpha >= GLYPH_ALPHA_THRESHOLD
        bg_luma = float(luminance(roi[glyph]).mean()) if glyph.any() else \
            float(luminance(roi.reshape(-1, 3)).mean())
        colour = sample_text_colour(rng, bg_luma, self.cfg.min_contrast)
        a = layout.alpha.astype(np.float32)[..., None] / 255.0
        roi *= 1.0 - a
        roi += a * colour
        np.maximum(alpha[y:y + ch, x:x + cw], layout.alpha,
                   out=alpha[y:y + ch, x:x + cw])

    @staticmethod
    def _word_annotation(layout: WordLayout, x: int, y: int) -> dict:
        """The annotation dict of a word placed at ``(x, y)``."""
        polygon = _round_list(layout.polygon + [x, y])
        return dict(
            polygon=polygon,
            bbox=polygon_to_bbox(polygon),
            text=layout.text,
            shape=layout.shape)

    def _degrade(self, rng: np.random.Generator,
                 image: np.ndarray) -> np.ndarray:
        """Optional slight blur plus Gaussian noise; returns uint8 RGB."""
        cfg = self.cfg
        if rng.random() < cfg.blur_prob:
            image = cv2.GaussianBlur(
                image, (0, 0), sigmaX=float(rng.uniform(0.4, 1.0)))
        std = float(rng.uniform(*cfg.noise_std))
        if std > 0:
            image = image + std * rng.standard_normal(
                image.shape, dtype=np.float32)
        return np.clip(image + 0.5, 0, 255).astype(np.uint8)

    # ----------------------------------------------------------------------
    # Writing a dataset
    # ----------------------------------------------------------------------

    def generate_split(self,
                       out_dir: str,
                       split: str,
                       num_images: int,
                       progress: bool = False) -> str:
        """Render and write one split.

        Args:
            out_dir (str): Dataset root.
            split (str): Split name.
            num_images (int): Number of images.
            progress (bool): Whether to show a progress bar.

        Returns:
            str: Path of the written ``textdet_{split}.json``.
        """
        for sub in _split_dirs(split):
            os.makedirs(osp.join(out_dir, sub), exist_ok=True)
        bar = _progress_bar(num_images) if progress else None
        data_list = []
        for index in range(num_images):
            sample = self.render_index(split, index)
            data_list.append(save_sample(out_dir, split, index, sample))
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.file.write('\n')
        metainfo = dict(
            dataset_type='TextDetDataset',
            task_name='textdet',
            category=[dict(id=0, name='text')],
            generator=dict(
                self.cfg.to_dict(),
                split=split,
                num_images=num_images,
                pillow_version=PIL.__version__))
        json_path = osp.join(out_dir, f'textdet_{split}.json')
        with open(json_path, 'w', encoding='utf-8') as f:
            json.dump(
                dict(metainfo=metainfo, data_list=data_list),
                f,
                ensure_ascii=False,
                sort_keys=False)
        return json_path


def _split_dirs(split: str) -> Tuple[str, str, str]:
    """Image, pixel-mask and polygon-mask folders of a split."""
    return (f'imgs/{split}', f'masks/pixel/{split}',
            f'masks/polygon/{split}')


def _progress_bar(num: int):
    """An mmengine progress bar."""
    from mmengine.utils import ProgressBar
    return ProgressBar(num)


def save_sample(out_dir: str, split: str, index: int,
                sample: SceneTextSample) -> dict:
    """Write a sample's image and masks and build its data item.

    Args:
        out_dir (str): Dataset root.
        split (str): Split name.
        index (int): Image index.
        sample (SceneTextSample): The sample.

    Returns:
        dict: The ``data_list`` item, paths relative to ``out_dir``.
    """
    img_dir, pixel_dir, polygon_dir = _split_dirs(split)
    img_path = f'{img_dir}/{index:05d}.jpg'
    pixel_path = f'{pixel_dir}/{index:05d}.png'
    polygon_path = f'{polygon_dir}/{index:05d}.png'
    Image.fromarray(sample.image).save(
        osp.join(out_dir, img_path), format='JPEG', quality=95)
    Image.fromarray(sample.pixel_mask).save(
        osp.join(out_dir, pixel_path), format='PNG')
    Image.fromarray(sample.polygon_mask).save(
        osp.join(out_dir, polygon_path), format='PNG')
    h, w = sample.image.shape[:2]
    instances = [
        dict(
            polygon=word['polygon'],
            bbox=word['bbox'],
            bbox_label=0,
            ignore=False,
            text=word['text'],
            shape=word['shape']) for word in sample.words
    ]
    return dict(
        img_path=img_path,
        height=h,
        width=w,
        pixel_mask_path=pixel_path,
        polygon_mask_path=polygon_path,
        words=[word['text'] for word in sample.words],
        instances=instances)


def _check_num_images(num_images: Dict[str, int]) -> None:
    """Check the ``split -> number of images`` mapping."""
    if not isinstance(num_images, dict) or not num_images:
        raise ValueError('num_images must be a non-empty dict of split -> '
                         f'number of images, got {num_images!r}')
    for split, num in num_images.items():
        if not isinstance(split, str) or not split or \
                split != osp.basename(split) or split in ('.', '..') or \
                not split.isprintable():
            raise ValueError(f'invalid split name {split!r}')
        _check_int(num, f'num_images[{split!r}]')


def generate_dataset(out_dir: str,
                     num_images: Dict[str, int],
                     cfg: Optional[SceneTextGeneratorConfig] = None,
                     progress: bool = True) -> Dict[str, str]:
    """Generate a synthetic scene-text detection dataset.

    Writes ``imgs/{split}/{i:05d}.jpg``, ``masks/pixel/{split}/{i:05d}.png``,
    ``masks/polygon/{split}/{i:05d}.png`` and ``textdet_{split}.json``
    (MMOCR ``OCRDataset`` format, paths relative to ``out_dir``) under
    ``out_dir``. Existing files of the same names are overwritten; nothing
    else is touched.

    Args:
        out_dir (str): Dataset root.
        num_images (dict[str, int]): Number of images per split, e.g.
            ``{'train': 96, 'test': 24}``.
        cfg (SceneTextGeneratorConfig, optional): Options; defaults to
            ``SceneTextGeneratorConfig()``.
        progress (bool): Whether to show a progress bar. Defaults to True.

    Returns:
        dict[str, str]: ``split -> path of its annotation JSON``.
    """
    _check_num_images(num_images)
    generator = SceneTextGenerator(cfg)
    return {
        split: generator.generate_split(out_dir, split, num, progress)
        for split, num in num_images.items()
    }
