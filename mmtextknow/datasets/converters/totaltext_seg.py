# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert TotalText (pixel + polygon ground truth) to segmentation JSON.

On-disk format relied upon (``{stem}`` = image name without extension):

- Images: ``Images/{Train,Test}/img{N}.jpg`` (any ``.jpg``, ``.jpeg``,
  ``.png``, ``.bmp`` in the image directory).
- Pixel-level ground truth: one binary text mask per image, the same size
  as the image, in ``groundtruth_pixel/{Train,Test}/`` (the official
  ``Groundtruth/Pixel``), named ``{stem}.jpg``, ``{stem}.png`` or
  ``{stem}.bmp``. Text = bright pixels: a pixel is text iff its luma
  (Pillow's ``convert('L')``) is above ``threshold`` (127); the threshold
  absorbs JPEG ringing. A mask whose size differs from its image is a
  counted skip naming both files.
- Polygon ground truth: the official ``Txt_format`` files
  ``poly_gt_{stem}.txt`` (``gt_{stem}.txt`` is also tried), one word per
  record (one line in the file, wrapped here)::

      x: [[115 503 494 115]], y: [[322 346 426 404]], ornt: [u'c'],
      transcriptions: [u'the']

  Coordinates are separated by spaces and/or commas and may be negative
  or fractional. A record may wrap onto the following lines (numpy prints
  long arrays over several lines): a line that does not start with ``x:``
  continues the previous record. The transcription list is read with
  ``ast.literal_eval`` (so ``u'...'`` / ``"..."`` quoting works); several
  strings are joined with ``,``, an empty list reads as ``#``. A word is
  "don't care" (``ignore: True``) when its transcription or its ``ornt``
  is ``#``. A record that does not have this layout is a counted
  "malformed annotation" (``strict`` raises a ``DataError`` instead).
- The ``.mat`` polygon files are not supported (assumption: the
  ``Txt_format`` release is used).

Images without an image file but with a gt file or pixel mask, and images
without gt file or pixel mask, are counted skips (see
:data:`~mmtextknow.datasets.converters.textseg.SKIP_REASONS`).
"""
import ast
import math
import re
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import List, Tuple

import numpy as np

from .paired_layout import PairedLayout, convert_paired_dirs
from .textseg import (PathLike, TextSegReport, Word, bright_pixels,
                      parse_records, read_gt_text)

#: Polygon gt file names tried, in order.
TOTALTEXT_GT_FMTS = ('poly_gt_{stem}.txt', 'gt_{stem}.txt')
#: Pixel gt file names tried, in order.
TOTALTEXT_PIXEL_FMTS = ('{stem}.jpg', '{stem}.png', '{stem}.bmp')
#: Transcription / orientation of a "don't care" word.
TOTALTEXT_IGNORE = '#'

_RECORD = re.compile(
    r'x:\s*\[\[(?P<x>[^\]]*)\]\]\s*,\s*y:\s*\[\[(?P<y>[^\]]*)\]\]\s*,\s*'
    r'ornt:\s*\[(?P<ornt>[^\]]*)\]\s*,\s*'
    r'transcriptions:\s*(?P<text>\[.*\])', re.S)


def _split_records(text: str) -> List[Tuple[int, str]]:
    """Join wrapped lines into records.

    Args:
        text (str): File content.

    Returns:
        list[tuple[int, str]]: ``(1-based first line, record text)``.
    """
    records: List[Tuple[int, str]] = []
    for lineno, line in enumerate(text.split('\n'), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith('x:') or not records:
            records.append((lineno, line))
        else:
            first, previous = records[-1]
            records[-1] = (first, f'{previous} {line}')
    return records


def _numbers(field: str) -> List[float]:
    """Finite numbers separated by spaces and/or commas.

    Args:
        field (str): e.g. ``'115 503  494,115'``.

    Returns:
        list[float]: The numbers.

    Raises:
        ValueError: On a token that is not a finite number.
    """
    values = [float(tok) for tok in field.replace(',', ' ').split()]
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f'non-finite coordinate in {field.strip()!r}')
    return values


def _transcription(field: str) -> str:
    """The transcription of a ``transcriptions: [...]`` field.

    Args:
        field (str): e.g. ``"[u'the']"``.

    Returns:
        str: The strings joined with ``,``; ``#`` for an empty list.

    Raises:
        ValueError: If the field is not a list of strings.
    """
    try:
        texts = ast.literal_eval(field)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(f'unreadable transcriptions {field!r}') from None
    if not isinstance(texts, list) or not all(
            isinstance(t, str) for t in texts):
        raise ValueError(f'transcriptions is not a list of strings: {field!r}')
    return ','.join(texts) if texts else TOTALTEXT_IGNORE


def parse_totaltext_record(record: str) -> Word:
    """Parse one TotalText word record.

    Args:
        record (str): ``x: [[...]], y: [[...]], ornt: [...],
            transcriptions: [...]`` (wrapped lines joined).

    Returns:
        tuple: ``(flat polygon, text, ignore)``.

    Raises:
        ValueError: If the record is malformed.
    """
    match = _RECORD.fullmatch(record.strip())
    if match is None:
        raise ValueError('expected "x: [[...]], y: [[...]], ornt: [...], '
                         'transcriptions: [...]"')
    xs, ys = _numbers(match['x']), _numbers(match['y'])
    if len(xs) != len(ys):
        raise ValueError(f'{len(xs)} x but {len(ys)} y coordinates')
    text = _transcription(match['text'])
    ornt = match['ornt'].strip().lstrip('u').strip('\'"')
    polygon = np.stack([xs, ys], axis=1).ravel().tolist()
    return polygon, text, TOTALTEXT_IGNORE in (text, ornt)


def parse_totaltext_txt(path: PathLike) -> Tuple[List[Word], List[str]]:
    """Parse a TotalText ``Txt_format`` polygon file.

    Args:
        path (str or PathLike): The file.

    Returns:
        tuple[list, list[str]]: The words ``(flat polygon, text, ignore)``
        and one message (``'{path}, line {n}: {why}'``) per malformed
        record.

    Raises:
        SkipSample: ``bad_gt_file`` if the file is not UTF-8 text.
    """
    path = Path(path)
    return parse_records(path, _split_records(read_gt_text(path)),
                         parse_totaltext_record)


#: TotalText's file names and readers (the pixel rule at threshold 127).
TOTALTEXT_LAYOUT = PairedLayout(TOTALTEXT_GT_FMTS, TOTALTEXT_PIXEL_FMTS,
                                parse_totaltext_txt, bright_pixels)


def convert_totaltext(img_dir: PathLike,
                      gt_dir: PathLike,
                      pixel_dir: PathLike,
                      out_root: PathLike,
                      split: str = 'test',
                      *,
                      threshold: int = 127,
                      **kwargs) -> TextSegReport:
    """Convert one TotalText split (see the module docstring for formats).

    Args:
        img_dir (str or PathLike): Images, e.g. ``Images/Test``.
        gt_dir (str or PathLike): Polygon files, e.g. ``Txt_format/Test``.
        pixel_dir (str or PathLike): Pixel masks, e.g.
            ``groundtruth_pixel/Test``.
        out_root (str or PathLike): Dataset root of the output.
        split (str): Split name. Defaults to 'test'.
        threshold (int): Luma above which a mask pixel is text.
            Defaults to 127.
        **kwargs: File name overrides (``gt_name_fmts``,
            ``pixel_name_fmts``) and output options, as in
            :func:`~mmtextknow.datasets.converters.paired_layout.
            convert_paired_dirs`, which also lists what raises.

    Returns:
        TextSegReport: What was converted, skipped and dropped.
    """
    rule = partial(bright_pixels, threshold=threshold)
    return convert_paired_dirs(
        replace(TOTALTEXT_LAYOUT, pixel_rule=rule), img_dir, gt_dir, pixel_dir,
        out_root, split, **kwargs)


__all__ = [
    'TOTALTEXT_GT_FMTS', 'TOTALTEXT_LAYOUT', 'TOTALTEXT_PIXEL_FMTS',
    'convert_totaltext', 'parse_totaltext_record', 'parse_totaltext_txt'
]
