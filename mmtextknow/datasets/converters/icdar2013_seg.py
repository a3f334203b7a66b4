# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert ICDAR 2013 (Focused Scene Text) pixel ground truth to JSON.

On-disk format relied upon (``{stem}`` = image name without extension):

- Images: ``img_N.jpg`` (test) / ``N.jpg`` (train), any ``.jpg``,
  ``.jpeg``, ``.png``, ``.bmp`` in the image directory.
- Pixel-level ground truth (Task 2 "text segmentation"): one image per
  scene image, the same size, tried as ``gt_{stem}.png`` (test),
  ``{stem}_GT.bmp`` (train) and ``{stem}_GT.png``, ``gt_{stem}.bmp``.
  Text pixels are coloured / dark on a WHITE background. Rule used: a
  pixel is text iff at least one of its R, G, B values is below
  ``white_level`` (default 250; the GT is lossless, the margin only
  tolerates near-white anti-aliasing), i.e. background = (near) white.
  Palette and grey images are converted to RGB first; alpha is dropped.
  A mask whose size differs from its image is a counted skip naming both
  files; a mask that comes out more than half text is counted as
  ``mostly_text_mask`` (kept) because it suggests an inverted colour
  convention.
- Word boxes (Task 1 localisation): ``gt_{stem}.txt``, one word per line,
  ``x1 y1 x2 y2 "text"`` (train, space separated) or
  ``x1, y1, x2, y2, "text"`` (test, comma separated): four numbers
  separated by spaces and/or commas, then the transcript; one pair of
  surrounding double quotes is removed. ``(x1, y1)`` / ``(x2, y2)`` are
  the top-left / bottom-right corners, written as the 4-point polygon
  ``x1,y1, x2,y1, x2,y2, x1,y2``. ICDAR 2013 has no "don't care" words
  (``ignore`` is always False). A line without four numbers and a
  transcript is a counted malformed annotation (``strict`` raises).

Files read as UTF-8 (a BOM is dropped).
"""
import re
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import List, Tuple

import numpy as np
from PIL import Image

from .paired_layout import PairedLayout, convert_paired_dirs
from .textseg import (PathLike, TextSegReport, Word, parse_records,
                      read_gt_text)

#: Word box gt file names tried, in order.
IC13_GT_FMTS = ('gt_{stem}.txt', )
#: Pixel gt file names tried, in order.
IC13_PIXEL_FMTS = ('gt_{stem}.png', '{stem}_GT.bmp', '{stem}_GT.png',
                   'gt_{stem}.bmp')

_NUM = r'([-+]?\d+(?:\.\d*)?)'
_BOX_LINE = re.compile(r'\s*' + r'[\s,]+'.join([_NUM] * 4) + r'[\s,]+(.*?)\s*')


def non_white_pixels(label: Image.Image, white_level: int = 250) -> np.ndarray:
    """ICDAR 2013's pixel rule: text where a channel is below white_level.

    Args:
        label (Image.Image): The segmentation ground-truth image.
        white_level (int): Channel value from which a pixel counts as white.
            Defaults to 250.

    Returns:
        np.ndarray: Boolean text mask, shape (h, w).
    """
    return (np.asarray(label.convert('RGB')) < white_level).any(axis=-1)


def parse_icdar2013_box_line(line: str) -> Word:
    """Parse ``x1 y1 x2 y2 "text"`` or ``x1, y1, x2, y2, "text"``.

    Args:
        line (str): One gt line.

    Returns:
        tuple: ``(4-point flat polygon, text, False)``.

    Raises:
        ValueError: If the line is malformed.
    """
    match = _BOX_LINE.fullmatch(line)
    if match is None:
        raise ValueError('expected "x1 y1 x2 y2 text" (spaces and/or commas)')
    x1, y1, x2, y2 = (float(v) for v in match.groups()[:4])
    text = match[5]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return [x1, y1, x2, y1, x2, y2, x1, y2], text, False


def parse_icdar2013_boxes(path: PathLike) -> Tuple[List[Word], List[str]]:
    """Parse an ICDAR 2013 word box file.

    Args:
        path (str or PathLike): The ``gt_*.txt`` file.

    Returns:
        tuple[list, list[str]]: The words and one message
        (``'{path}, line {n}: {why}'``) per malformed line.

    Raises:
        SkipSample: ``bad_gt_file`` if the file is not UTF-8 text.
    """
    path = Path(path)
    lines = enumerate(read_gt_text(path).split('\n'), start=1)
    return parse_records(path,
                         ((n, line) for n, line in lines if line.strip()),
                         parse_icdar2013_box_line)


#: ICDAR 2013's file names and readers (the pixel rule at white level 250).
IC13_LAYOUT = PairedLayout(IC13_GT_FMTS, IC13_PIXEL_FMTS,
                           parse_icdar2013_boxes, non_white_pixels)


def convert_icdar2013(img_dir: PathLike,
                      gt_dir: PathLike,
                      pixel_dir: PathLike,
                      out_root: PathLike,
                      split: str = 'test',
                      *,
                      white_level: int = 250,
                      **kwargs) -> TextSegReport:
    """Convert one ICDAR 2013 split (see the module docstring for formats).

    Args:
        img_dir (str or PathLike): The images.
        gt_dir (str or PathLike): The word box ``gt_*.txt`` files.
        pixel_dir (str or PathLike): The segmentation gt images (may be
            ``gt_dir``).
        out_root (str or PathLike): Dataset root of the output.
        split (str): Split name. Defaults to 'test'.
        white_level (int): Channel value from which a gt pixel is white
            (background). Defaults to 250.
        **kwargs: Keyword options of
            :func:`~mmtextknow.datasets.converters.paired_layout.
            convert_paired_dirs` (name formats, masks, ``strict``).

    Returns:
        TextSegReport: Counts and messages of the conversion; errors are
        those of ``convert_paired_dirs``.
    """
    layout = replace(
        IC13_LAYOUT,
        pixel_rule=partial(non_white_pixels, white_level=white_level))
    return convert_paired_dirs(layout, img_dir, gt_dir, pixel_dir, out_root,
                               split, **kwargs)


__all__ = [
    'IC13_GT_FMTS', 'IC13_LAYOUT', 'IC13_PIXEL_FMTS', 'convert_icdar2013',
    'non_white_pixels', 'parse_icdar2013_box_line', 'parse_icdar2013_boxes'
]
