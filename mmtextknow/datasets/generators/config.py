# Copyright (c) mmtextknow contributors. All rights reserved.
"""Options of the scene-text generator and their validation."""
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Dict, Sequence, Tuple, Union

import numpy as np

from .fonts import MIN_FONT_PX, word_fits

#: The word shapes, in the order used to sample them.
SHAPES = ('horizontal', 'rotated', 'curved')

#: The built-in vocabulary.
DEFAULT_VOCABULARY = ('HELLO', 'world', 'TEXT', 'open', 'STOP', 'cafe',
                      'SALE', 'exit', 'PARK', 'road', 'HOTEL', 'bank',
                      'TAXI', 'food', 'SHOP', 'city', 'BAR', 'music', 'NEWS',
                      'pizza', 'FREE', 'market', 'POLICE', 'coffee', 'BUS',
                      'sign')


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
            check_non_negative_int(getattr(self, name), name)
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
        for word in self.vocabulary:
            if not word_fits(word, lo_px, self.width, self.polygon_padding):
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


def check_non_negative_int(value: int, name: str) -> None:
    """Check that ``value`` is a non-negative int (not a bool).

    Args:
        value (int): The value.
        name (str): Its name, for the error message.

    Raises:
        ValueError: If the check fails.
    """
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
