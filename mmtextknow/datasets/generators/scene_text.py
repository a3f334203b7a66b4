# Copyright (c) mmtextknow contributors. All rights reserved.
"""Render synthetic scene-text images.

Words from a small vocabulary are rendered with Pillow's built-in scalable
font onto random backgrounds (gradients, clutter shapes and noise), as
axis-aligned, rotated or curved (characters along a circular arc) text.
Each image comes with its word polygons, a pixel-level text mask (the
rendered glyph pixels), a polygon-level mask and the clean background:
the same image without its words (the same background, blur and noise),
the target of text removal.

Every image is rendered from its own random generator, derived from
``(seed, split, index)`` (:func:`make_rng`), so the same options always give
the same image and image ``i`` does not depend on how many images are
generated. :mod:`.writer` saves images and annotations as a dataset.
"""
import math
import zlib
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmtextknow.utils.polygon import polygon_to_bbox
from .background import luminance, render_background, sample_text_colour
from .config import SHAPES, SceneTextGeneratorConfig
from .fonts import BORDER_MARGIN, get_font, padding_px, word_fits
from .layout import WordLayout, compose_layout, curved_layout, rigid_layout
from .masks import glyph_pixels, pixel_mask, rasterize_polygons

#: Number of position tries per sampled word geometry.
POSITION_TRIES_PER_LAYOUT = 10

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


@dataclass
class SceneTextSample:
    """One rendered image and its annotations.

    Attributes:
        image (np.ndarray): RGB image, (h, w, 3) uint8.
        pixel_mask (np.ndarray): 255 on glyph pixels, (h, w) uint8.
        polygon_mask (np.ndarray): 255 inside word polygons, (h, w) uint8.
        words (list[dict]): Per word: ``polygon`` (flat, clockwise),
            ``bbox`` ``[x1, y1, x2, y2]``, ``text`` and ``shape``.
        background (np.ndarray): The clean background, (h, w, 3) uint8:
            ``image`` without its words, degraded by the same blur and
            noise. It equals ``image`` wherever no glyph (anti-aliased edge
            included) lies within the blur's reach.
    """
    image: np.ndarray
    pixel_mask: np.ndarray
    polygon_mask: np.ndarray
    words: List[dict]
    background: np.ndarray


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
        background = image.copy()
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
        image, background = self._degrade(rng, (image, background))
        polygon_mask = rasterize_polygons([wd['polygon'] for wd in words],
                                          (h, w))
        return SceneTextSample(image, pixel_mask(alpha), polygon_mask, words,
                               background)

    def sample_layout(self, rng: np.random.Generator, text: str,
                      shape: str) -> WordLayout:
        """Sample font size and geometry of a word and render it.

        Args:
            rng (np.random.Generator): Random generator.
            text (str): The word.
            shape (str): One of :data:`~.config.SHAPES`.

        Returns:
            WordLayout: The rendered word in its own canvas.
        """
        cfg = self.cfg
        font_px = self._sample_font_px(rng, text)
        font = get_font(font_px)
        pad = padding_px(font_px, cfg.polygon_padding)
        max_rot = math.radians(cfg.max_rotation_deg)
        if shape == 'curved':
            patches, polygon = curved_layout(
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
            patches, polygon = rigid_layout(font, text, pad, angle)
        return compose_layout(text, shape, patches, polygon)

    def _sample_font_px(self, rng: np.random.Generator, text: str) -> int:
        """Sample a font size, shrunk until ``text`` fits the image width."""
        cfg = self.cfg
        lo_px, hi_px = cfg.font_px_range()
        size = int(rng.integers(lo_px, hi_px + 1))
        while size > lo_px and not word_fits(text, size, cfg.width,
                                             cfg.polygon_padding):
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
        glyph = glyph_pixels(layout.alpha)
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
                 images: Sequence[np.ndarray]) -> List[np.ndarray]:
        """Optional slight blur plus Gaussian noise, as uint8 RGB.

        The blur and the noise are drawn once and applied to every image of
        ``images`` (all of the same size): the rendered image and its clean
        background get the same degradation.
        """
        cfg = self.cfg
        sigma = None
        if rng.random() < cfg.blur_prob:
            sigma = float(rng.uniform(0.4, 1.0))
        std = float(rng.uniform(*cfg.noise_std))
        noise = None
        if std > 0:
            noise = std * rng.standard_normal(
                images[0].shape, dtype=np.float32)
        out = []
        for image in images:
            if sigma is not None:
                image = cv2.GaussianBlur(image, (0, 0), sigmaX=sigma)
            if noise is not None:
                image = image + noise
            out.append(np.clip(image + 0.5, 0, 255).astype(np.uint8))
        return out


def _round_list(points: np.ndarray) -> List[float]:
    """Flatten and round to 2 decimals (no ``-0.0``)."""
    return [float(v) + 0.0 for v in np.round(points.reshape(-1), 2)]
