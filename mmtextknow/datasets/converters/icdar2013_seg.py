# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert ICDAR 2013 (Focused Scene Text) pixel ground truth to JSON.

On-disk format relied upon (``{stem}`` = image name without extension):

- Images: ``img_N.jpg`` (test) / ``N.jpg`` (train), any ``.jpg``,
  ``.jpeg``, ``.png``, ``.bmp`` in the image directory.
- Pixel-level ground truth (Task 2 "text segmentation"): one image per
  scene image, the same size, tried as ``gt_{stem}.png`` (test),
  ``{stem}_GT.bmp`` (train) and ``{stem}_GT.png``, ``gt_{stem}.bmp``.
  Each character is painted in its own colour on a WHITE background.
  Palette and grey images are converted to RGB first; alpha is dropped.
  A mask whose size differs from its image is a counted skip naming both
  files; a mask that comes out more than half text is counted as
  ``mostly_text_mask`` (kept) because it suggests an inverted colour
  convention.
- Character list of the segmentation ground truth (optional, ``char_dir``):
  ``{stem}_GT.txt``, one character per line (blank lines between words)::

      R G B cx cy x1 y1 x2 y2 "c"

  the character's colour in the gt image, its centre and its box, then the
  quoted character; a line starting with ``#`` is a "don't care"
  character. With it the rule is TexRNet's
  (SHI-Labs/Rethinking-Text-Segmentation, ``lib/data_factory/
  ds_icdar13.py``, ``Icdar13_CharBboxLoader_Original``): white is
  background, the colour of a listed character is text, the colour of a
  don't-care character and any colour the list does not name is ignore
  (file value 127); a colour listed both ways is ignore. A missing list
  is a counted ``missing_gt`` skip, a line that is neither blank nor of
  this form a counted malformed annotation.
  Without ``char_dir`` the rule is: a pixel is text iff at least one of
  its R, G, B values is below ``white_level`` (default 250; the margin
  only tolerates near-white anti-aliasing), and nothing is ignored.
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
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import FrozenSet, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image

from mmtextknow.datasets.mask_values import (FILE_BACKGROUND, FILE_IGNORE,
                                             FILE_TEXT)
from .icdar_txt import _check_dir as check_dir
from .paired_layout import (PairedLayout, PixelRule, convert_paired_dirs,
                            find_named_file)
from .textseg import (PathLike, TextSegReport, Word, parse_records,
                      read_gt_text)

#: Word box gt file names tried, in order.
IC13_GT_FMTS = ('gt_{stem}.txt', )
#: Pixel gt file names tried, in order.
IC13_PIXEL_FMTS = ('gt_{stem}.png', '{stem}_GT.bmp', '{stem}_GT.png',
                   'gt_{stem}.bmp')

#: Character list file names tried, in order.
IC13_CHAR_FMTS = ('{stem}_GT.txt', )

_NUM = r'([-+]?\d+(?:\.\d*)?)'
_CHAR_LINE = re.compile(r'\s*(#?)\s*' + r'\s+'.join([r'(\d+)'] * 3) +
                        r'(?:\s+[-+]?\d+(?:\.\d*)?){6}\s+(".*")\s*')
Colour = Tuple[int, int, int]


@dataclass(frozen=True)
class CharColours:
    """Colours of an ICDAR 2013 segmentation gt image, by meaning.

    Attributes:
        text (frozenset): Colours of the characters to segment.
        ignore (frozenset): Colours of the "don't care" characters.
    """
    text: FrozenSet[Colour]
    ignore: FrozenSet[Colour]
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


def parse_icdar2013_char_line(line: str) -> Tuple[Colour, bool]:
    """Parse ``[#]R G B cx cy x1 y1 x2 y2 "c"``.

    Args:
        line (str): One line of a character list.

    Returns:
        tuple: ``((R, G, B), dont_care)``.

    Raises:
        ValueError: If the line is malformed.
    """
    match = _CHAR_LINE.fullmatch(line)
    if match is None:
        raise ValueError('expected \'[#]R G B cx cy x1 y1 x2 y2 "c"\'')
    colour = tuple(int(v) for v in match.groups()[1:4])
    if max(colour) > 255:
        raise ValueError(f'colour {colour} out of range')
    return colour, match[1] == '#'


def parse_icdar2013_chars(path: PathLike) -> Tuple[CharColours, List[str]]:
    """Read the character colours of an ICDAR 2013 ``{stem}_GT.txt``.

    Args:
        path (str or PathLike): The character list.

    Returns:
        tuple[CharColours, list[str]]: The colours and one message
        (``'{path}, line {n}: {why}: {line}'``) per malformed line.

    Raises:
        SkipSample: ``bad_gt_file`` if the file is not UTF-8 text.
    """
    path = Path(path)
    lines = enumerate(read_gt_text(path).split('\n'), start=1)
    parsed, errors = [], []
    for lineno, line in lines:
        if not line.strip():
            continue
        try:
            parsed.append(parse_icdar2013_char_line(line))
        except ValueError as e:
            errors.append(f'{path}, line {lineno}: {e}: {line[:80]!r}')
    ignore = frozenset(c for c, dont_care in parsed if dont_care)
    text = frozenset(c for c, dont_care in parsed if not dont_care) - ignore
    return CharColours(text, ignore), errors


def char_colour_pixels(label: Image.Image,
                       colours: CharColours) -> np.ndarray:
    """ICDAR 2013's pixel rule with the character list (TexRNet's).

    Args:
        label (Image.Image): The segmentation ground-truth image.
        colours (CharColours): The image's character colours.

    Returns:
        np.ndarray: uint8 file values: white 0, the colours of
        ``colours.text`` 255, every other colour 127 (don't care).
    """
    rgb = np.asarray(label.convert('RGB')).astype(np.int32)
    code = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    out = np.full(code.shape, FILE_IGNORE, np.uint8)
    out[code == 0xFFFFFF] = FILE_BACKGROUND
    text_codes = [(r << 16) | (g << 8) | b for r, g, b in colours.text]
    out[np.isin(code, text_codes)] = FILE_TEXT
    return out


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
                      char_dir: Optional[PathLike] = None,
                      char_name_fmts: Sequence[str] = IC13_CHAR_FMTS,
                      **kwargs) -> TextSegReport:
    """Convert one ICDAR 2013 split (see the module docstring for formats).

    Args:
        img_dir (str or PathLike): The images.
        gt_dir (str or PathLike): The word box ``gt_*.txt`` files.
        pixel_dir (str or PathLike): The segmentation gt images (may be
            ``gt_dir``).
        out_root (str or PathLike): Dataset root of the output.
        split (str): Split name. Defaults to 'test'.
        white_level (int): Without ``char_dir``, the channel value from
            which a gt pixel is white (background). Defaults to 250.
        char_dir (str or PathLike, optional): The character lists
            (``{stem}_GT.txt``); with it don't-care characters and unlisted
            colours are written as ignore (see the module docstring).
            Defaults to None.
        char_name_fmts (Sequence[str]): Character list file names tried.
            Defaults to :data:`IC13_CHAR_FMTS`.
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
    if char_dir is not None:
        char_root = check_dir(char_dir, 'character list directory')
        fmts = tuple(char_name_fmts)

        def pixel_rule_for(stem: str, report: TextSegReport) -> PixelRule:
            path = find_named_file(char_root, fmts, stem, 'missing_gt',
                                   'character list')
            colours, errors = parse_icdar2013_chars(path)
            for message in errors:
                report.count('malformed_annotation', message)
            return partial(char_colour_pixels, colours=colours)

        kwargs['pixel_rule_for'] = pixel_rule_for
    return convert_paired_dirs(layout, img_dir, gt_dir, pixel_dir, out_root,
                               split, **kwargs)


__all__ = [
    'CharColours', 'IC13_CHAR_FMTS', 'IC13_GT_FMTS', 'IC13_LAYOUT',
    'IC13_PIXEL_FMTS', 'char_colour_pixels', 'convert_icdar2013',
    'non_white_pixels', 'parse_icdar2013_box_line', 'parse_icdar2013_boxes',
    'parse_icdar2013_char_line', 'parse_icdar2013_chars'
]
