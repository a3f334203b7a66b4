# Copyright (c) mmtextknow contributors. All rights reserved.
"""The font: loading, measuring and rendering text, and word-size rules.

Words are rendered with Pillow's built-in scalable font (Pillow >= 10.1).
"""
from functools import lru_cache
from typing import Optional, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

#: Smallest font size (pixels) a configuration may produce.
MIN_FONT_PX = 8
#: Minimal distance (pixels) between a word and the image border.
BORDER_MARGIN = 1


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


def word_fits(text: str, font_px: int, img_width: int,
              polygon_padding: float) -> bool:
    """Whether a straight word fits the image width with its padding.

    Args:
        text (str): The word.
        font_px (int): Font size in pixels.
        img_width (int): Image width in pixels.
        polygon_padding (float): Padding as a fraction of the font size.

    Returns:
        bool: True if the word's advance width fits between the borders.
    """
    pad = padding_px(font_px, polygon_padding)
    usable = img_width - 2 * (BORDER_MARGIN + pad + 2)
    return get_font(font_px).getlength(text) <= usable


def ink_box(font: ImageFont.FreeTypeFont,
            text: str) -> Tuple[int, int, int, int]:
    """Ink box ``(l, t, r, b)`` of ``text`` relative to its left baseline.

    Pixels ``l <= x < r`` and ``t <= y < b`` hold ink.

    Args:
        font (ImageFont.FreeTypeFont): Font.
        text (str): Text to measure.

    Returns:
        tuple[int, int, int, int]: The box.
    """
    return tuple(int(v) for v in font.getbbox(text, anchor='ls'))


def render_text(font: ImageFont.FreeTypeFont,
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
    l, t, r, b = ink_box(font, text)
    if r <= l or b <= t:
        return None
    img = Image.new('L', (r - l + 2, b - t + 2), 0)
    ImageDraw.Draw(img).text((1 - l, 1 - t),
                             text,
                             fill=255,
                             font=font,
                             anchor='ls')
    return np.asarray(img), np.array([l - 1.0, t - 1.0])
