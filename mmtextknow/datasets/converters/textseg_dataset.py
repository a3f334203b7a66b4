# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert the TextSeg dataset (Xu et al., CVPR 2021) to segmentation JSON.

On-disk format relied upon (``{stem}`` = image name without extension, e.g.
``a00001``); the file names are defaults, the schemas are ASSUMPTIONS taken
from the TextSeg release and TexRNet's loader, not checked on the real
data:

- Images: ``image/{stem}.jpg`` (any ``.jpg``, ``.jpeg``, ``.png``, ``.bmp``).
- Pixel-level ground truth: ``semantic_label/{stem}_maskfg.png`` (also
  tried: ``{stem}.png``), the same size as the image; a pixel is text iff
  its label value is above 0 (any colour channel above 0 for a colour
  image, alpha dropped; the raw index for a palette image, i.e. palette
  index 0 = background).
- Words: ``annotation/{stem}_anno.json`` (also tried: ``{stem}.json``), a
  JSON object of words keyed by word id (a list of words is accepted
  too)::

      {"0000": {"text": "SALE", "bbox": [x1, y1, x2, y2, x3, y3, x4, y4],
                "char": {...}}, ...}

  ``bbox`` is the word polygon as a flat list of numbers (4 points in the
  release; any even length >= 6 is accepted), ``text`` the transcript
  (missing: ``''``). Character entries are not used. A word whose text is
  in ``ignore_texts`` (default ``#`` and ``###``) gets ``ignore: True``
  (TextSeg is not known to mark don't-care words; this only catches the
  usual markers). A word that is not an object or whose ``bbox`` is not a
  list of numbers is a counted malformed annotation.
- Splits (optional): ``split.json``, ``{"train": [...], "val": [...],
  "test": [...]}`` listing image stems (or file names; the extension is
  dropped). Without it, every image / annotation / label of the
  directories is converted.
"""
import json
import math
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, Collection, List, Optional, Tuple

import numpy as np
from PIL import Image

from mmtextknow.utils import DataError
from .paired_layout import PairedLayout, convert_paired_dirs
from .textseg import (PathLike, SkipSample, TextSegReport, Word,
                      load_json_object, read_gt_text)

#: Word annotation file names tried, in order.
TEXTSEG_ANNO_FMTS = ('{stem}_anno.json', '{stem}.json')
#: Pixel gt file names tried, in order.
TEXTSEG_PIXEL_FMTS = ('{stem}_maskfg.png', '{stem}.png')
#: Transcripts that mark a "don't care" word.
TEXTSEG_IGNORE_TEXTS = ('#', '###')


def nonzero_pixels(label: Image.Image) -> np.ndarray:
    """TextSeg's pixel rule: text where the label value is above 0.

    Args:
        label (Image.Image): The semantic label image.

    Returns:
        np.ndarray: Boolean text mask, shape (h, w).
    """
    values = np.asarray(label)
    if values.ndim == 3:
        colour = [i for i, b in enumerate(label.getbands()) if b != 'A']
        values = values[..., colour]
        return (values > 0).any(axis=-1)
    return values > 0


def parse_textseg_word(word: Any, ignore_texts: Collection[str]) -> Word:
    """Parse one word entry of a TextSeg annotation file.

    Args:
        word: ``{"text": str, "bbox": [x1, y1, ...], ...}``.
        ignore_texts (Collection[str]): Transcripts of don't-care words.

    Returns:
        tuple: ``(flat polygon, text, ignore)``.

    Raises:
        ValueError: If the entry is malformed.
    """
    if not isinstance(word, dict) or 'bbox' not in word:
        raise ValueError('word is not an object with a "bbox"')
    bbox = word['bbox']
    if not isinstance(bbox, list) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool)
            and math.isfinite(v) for v in bbox):
        raise ValueError('"bbox" is not a list of finite numbers')
    text = word.get('text', '')
    if not isinstance(text, str):
        raise ValueError('"text" is not a string')
    return [float(v) for v in bbox], text, text in ignore_texts


def parse_textseg_anno(
    path: PathLike,
    ignore_texts: Collection[str] = TEXTSEG_IGNORE_TEXTS
) -> Tuple[List[Word], List[str]]:
    """Parse a TextSeg per-image annotation JSON.

    Args:
        path (str or PathLike): The ``*_anno.json`` file.
        ignore_texts (Collection[str]): Transcripts of don't-care words.
            Defaults to :data:`TEXTSEG_IGNORE_TEXTS`.

    Returns:
        tuple[list, list[str]]: The words and one message
        (``'{path}, word {id}: {why}'``) per malformed word.

    Raises:
        SkipSample: ``bad_gt_file`` if the file is not a JSON object / list.
    """
    path = Path(path)
    try:
        content = json.loads(read_gt_text(path))
    except json.JSONDecodeError as e:
        raise SkipSample('bad_gt_file', f'{path}: not valid JSON ({e})') \
            from None
    if isinstance(content, list):
        content = {str(i): w for i, w in enumerate(content)}
    if not isinstance(content, dict):
        raise SkipSample('bad_gt_file', f'{path}: expected a JSON object '
                         'of words')
    words, errors = [], []
    for word_id, word in content.items():
        try:
            words.append(parse_textseg_word(word, ignore_texts))
        except ValueError as e:
            errors.append(f'{path}, word {word_id}: {e}')
    return words, errors


def read_textseg_split(split_file: PathLike, split: str) -> List[str]:
    """The image stems of one split of a TextSeg ``split.json``.

    Args:
        split_file (str or PathLike): ``{"train": [...], ...}``.
        split (str): The split to read.

    Returns:
        list[str]: Image stems, in file order.

    Raises:
        DataError: If the file is not such a JSON or lacks ``split``.
    """
    content = load_json_object(split_file, 'split file')
    names = content.get(split)
    if not isinstance(names, list) or not all(
            isinstance(n, str) for n in names):
        raise DataError(f'{split_file}: no list of image names for split '
                        f'{split!r}')
    return [Path(n).stem for n in names]


#: TextSeg's file names and readers (default don't-care transcripts).
TEXTSEG_LAYOUT = PairedLayout(TEXTSEG_ANNO_FMTS, TEXTSEG_PIXEL_FMTS,
                              parse_textseg_anno, nonzero_pixels)


def convert_textseg(img_dir: PathLike,
                    gt_dir: PathLike,
                    pixel_dir: PathLike,
                    out_root: PathLike,
                    split: str = 'test',
                    *,
                    split_file: Optional[PathLike] = None,
                    ignore_texts: Collection[str] = TEXTSEG_IGNORE_TEXTS,
                    **kwargs) -> TextSegReport:
    """Convert one TextSeg split (see the module docstring for formats).

    Args:
        img_dir (str or PathLike): The images (``image/``).
        gt_dir (str or PathLike): Per-image word JSONs (``annotation/``).
        pixel_dir (str or PathLike): Pixel labels (``semantic_label/``).
        out_root (str or PathLike): Dataset root of the output.
        split (str): Split name, also the key read from ``split_file``.
            Defaults to 'test'.
        split_file (str or PathLike, optional): ``split.json``; without it
            every image of the directories is converted.
        ignore_texts (Collection[str]): Transcripts of don't-care words.
            Defaults to :data:`TEXTSEG_IGNORE_TEXTS`.
        **kwargs: Passed on to :func:`~mmtextknow.datasets.converters.
            paired_layout.convert_paired_dirs` (which documents the
            errors); a bad split file raises a ``DataError``.

    Returns:
        TextSegReport: The conversion report.
    """
    stems = (
        read_textseg_split(split_file, split)
        if split_file is not None else None)
    ignore_texts = frozenset(ignore_texts)
    layout = replace(
        TEXTSEG_LAYOUT,
        parse_gt=partial(parse_textseg_anno, ignore_texts=ignore_texts))
    return convert_paired_dirs(
        layout,
        img_dir,
        gt_dir,
        pixel_dir,
        out_root,
        split,
        stems=stems,
        **kwargs)


__all__ = [
    'TEXTSEG_ANNO_FMTS', 'TEXTSEG_IGNORE_TEXTS', 'TEXTSEG_LAYOUT',
    'TEXTSEG_PIXEL_FMTS', 'convert_textseg', 'nonzero_pixels',
    'parse_textseg_anno', 'parse_textseg_word', 'read_textseg_split'
]
