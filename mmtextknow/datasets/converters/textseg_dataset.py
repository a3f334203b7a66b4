# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert the TextSeg dataset (Xu et al., CVPR 2021) to segmentation JSON.

On-disk format relied upon (``{stem}`` = image name without extension, e.g.
``a00001``); the file names are defaults, the schemas are ASSUMPTIONS taken
from the TextSeg release and TexRNet's loader, not checked on the real
data:

- Images: ``image/{stem}.jpg`` (any ``.jpg``, ``.jpeg``, ``.png``, ``.bmp``).
- Pixel-level ground truth: ``semantic_label/{stem}_maskfg.png`` (also
  tried: ``{stem}.png``), the same size as the image, one label value per
  pixel (:func:`textseg_label_values`): 0 background, 100 text, 200 "word
  effect" (shadows, outlines, decorations around the strokes) read as
  background, 255 ignore, written as our don't-care value 127. This is
  TexRNet's reading (SHI-Labs/Rethinking-Text-Segmentation,
  ``lib/data_factory/ds_textseg.py``, ``TextSeg_SemlabelLoader``: 100 ->
  1, 200 -> the "derived class" mapped to background by
  ``LOADER_DERIVED_CLS_MAP_TO = 'bg'`` in ``eval_utils.py``, 255 -> the
  ignore label, which its evaluator, ``lib/evaluate_service.py``
  ``bw_iandu``, removes from every count). A grey (``L``) or palette
  (``P``: the raw index) image is read as is; a colour image must have
  equal channels (alpha dropped). Another value is a counted
  ``corrupt_pixel_mask`` skip naming the file and the values.
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
from mmtextknow.datasets.mask_values import (FILE_BACKGROUND, FILE_IGNORE,
                                             FILE_TEXT)
from .textseg import (PathLike, SkipSample, TextSegReport, Word,
                      load_json_object, read_gt_text)

#: Word annotation file names tried, in order.
TEXTSEG_ANNO_FMTS = ('{stem}_anno.json', '{stem}.json')
#: Pixel gt file names tried, in order.
TEXTSEG_PIXEL_FMTS = ('{stem}_maskfg.png', '{stem}.png')
#: Transcripts that mark a "don't care" word.
TEXTSEG_IGNORE_TEXTS = ('#', '###')
#: TextSeg ``*_maskfg.png`` label value -> our file value.
TEXTSEG_LABEL_TO_FILE = {
    0: FILE_BACKGROUND,
    100: FILE_TEXT,
    200: FILE_BACKGROUND,
    255: FILE_IGNORE,
}


def textseg_label_values(label: Image.Image) -> np.ndarray:
    """TextSeg's pixel rule: 100 text, 0 / 200 background, 255 ignore.

    Args:
        label (Image.Image): The ``*_maskfg.png`` label image.

    Returns:
        np.ndarray: uint8 file values (0 / 255 / 127), shape (h, w).

    Raises:
        ValueError: On a colour image with unequal channels or a label
            value other than 0, 100, 200, 255.
    """
    values = np.asarray(label)
    if values.ndim == 3:
        colour = [i for i, b in enumerate(label.getbands()) if b != 'A']
        values = values[..., colour]
        if (values != values[..., :1]).any():
            raise ValueError('colour label image with unequal channels; '
                             'expected one label value per pixel')
        values = values[..., 0]
    lut = np.full(256, -1, np.int16)
    for label_value, file_value in TEXTSEG_LABEL_TO_FILE.items():
        lut[label_value] = file_value
    if values.dtype != np.uint8:
        raise ValueError(f'label image of type {values.dtype}, expected '
                         '8-bit values')
    mapped = lut[values]
    if (mapped < 0).any():
        unknown = sorted(int(v) for v in np.unique(values[mapped < 0]))
        raise ValueError(f'label values {unknown[:10]} are not TextSeg\'s '
                         '0 / 100 / 200 / 255')
    return mapped.astype(np.uint8)


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
                              parse_textseg_anno, textseg_label_values)


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
    'TEXTSEG_LABEL_TO_FILE', 'TEXTSEG_PIXEL_FMTS', 'convert_textseg',
    'textseg_label_values',
    'parse_textseg_anno', 'parse_textseg_word', 'read_textseg_split'
]
