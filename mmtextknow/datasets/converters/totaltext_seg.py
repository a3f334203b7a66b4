# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert TotalText (pixel + polygon ground truth) to segmentation JSON.

On-disk format relied upon (``{stem}`` = image name without extension):

- Images: ``Images/{Train,Test}/img{N}.jpg`` (any ``.jpg``, ``.jpeg``,
  ``.png``, ``.bmp`` in the image directory).
- Pixel-level ground truth: one binary text mask per image, the same size
  as the image, in ``groundtruth_pixel/{Train,Test}/`` (the official
  ``Groundtruth/Pixel``), named ``{stem}.jpg``, ``{stem}.png`` or
  ``{stem}.bmp``. Text = bright pixels: a pixel is text iff its luma
  (Pillow's ``convert('L')``) is above ``threshold`` (127, as TexRNet's
  ``ds_totaltext.py``); the threshold absorbs JPEG ringing. A mask whose
  size differs from its image is a counted skip naming both files.
- Polygon ground truth, one file per image, tried in the order of
  :data:`TOTALTEXT_GT_FMTS` and read by its extension:

  - ``.txt`` (the official ``Txt_format`` release,
    ``poly_gt_{stem}.txt``; ``gt_{stem}.txt`` is also tried), one word
    per record (one line in the file, wrapped here)::

        x: [[115 503 494 115]], y: [[322 346 426 404]], ornt: [u'c'],
        transcriptions: [u'the']

    Coordinates are separated by spaces and/or commas and may be
    negative or fractional. A record may wrap onto the following lines
    (numpy prints long arrays over several lines): a line that does not
    start with ``x:`` continues the previous record. The transcription
    list is read with ``ast.literal_eval`` (so ``u'...'`` / ``"..."``
    quoting works); several strings are joined with ``,``, an empty list
    reads as ``#``.
  - ``.mat`` (the official ``Groundtruth/Polygon/{Train,Test}/
    poly_gt_{stem}.mat``; ``gt_{stem}.mat`` too), read with
    ``scipy.io.loadmat`` (:func:`parse_totaltext_mat`). The variable is
    ``polygt`` (legacy release) or ``gt`` (newer files; MMOCR 0.x's
    ``totaltext_converter.py`` reads both), an N x 6 cell array, one row
    per word: ``'x:'``, the x coordinates, ``'y:'``, the y coordinates,
    the transcription, the orientation (``c`` curved, ``h`` horizontal,
    ``m`` multi-oriented, ``#`` don't care) (cs-chan/Total-Text-Dataset,
    ``Groundtruth/Text/README.md`` and ``Evaluation_Protocol/
    Python_scripts/Deteval.py``). VERIFIED on the repository's example
    files ``Evaluation_Protocol/Examples/Groundtruth/poly_gt_img*.mat``
    (``polygt``, int16 coordinates of shape 1 x n) and
    ``Annotation_tools/T3/Example/out/gt_img3.mat`` (``gt``, n x 1):
    both shapes are read. An empty transcription cell reads as ``#``.

  A word is "don't care" (``ignore: True``) when its transcription or
  its orientation is ``#``; its polygon mask value is 127 (see
  :func:`~mmtextknow.datasets.converters.textseg.polygon_mask`). A record / row
  that does not have this layout is a counted "malformed annotation"
  (``strict`` raises a ``DataError`` instead); a ``.mat`` file that
  cannot be read, or has neither variable, is an unreadable annotation
  file (a counted skip). Without scipy a ``.mat`` file raises an
  ``ImportError`` that says so (the ``.txt`` release needs no scipy).

Images without an image file but with a gt file or pixel mask, and images
without gt file or pixel mask, are counted skips (see
:data:`~mmtextknow.datasets.converters.textseg.SKIP_REASONS`).
"""
import ast
import math
import re
from functools import partial
from pathlib import Path
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np

from .icdar_txt import _check_dir as check_dir
from .paired_layout import (PairedLayout, find_named_file, image_for_stem,
                            image_map, stems_in_dir)
from .textseg import (PathLike, SegSample, SkipSample, TextSegReport, Word,
                      bright_pixels, build_instances, convert_samples,
                      image_hw, load_pixel_mask, parse_records, read_gt_text)

#: Polygon gt file names tried, in order (``.txt`` / ``.mat`` by suffix).
TOTALTEXT_GT_FMTS = ('poly_gt_{stem}.txt', 'gt_{stem}.txt',
                     'poly_gt_{stem}.mat', 'gt_{stem}.mat')
#: Variables of a TotalText ``.mat`` file holding the words, tried in order.
TOTALTEXT_MAT_KEYS = ('polygt', 'gt')
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


def _mat_strings(cell: Any) -> List[str]:
    """The strings of a loadmat char cell (``array(['the'])``, empty)."""
    values = np.asarray(cell).ravel()
    if values.size and values.dtype.kind != 'U':
        raise ValueError(f'expected a text cell, got {values.dtype} values')
    return [str(v) for v in values]


def _mat_coords(cell: Any, axis: str) -> List[float]:
    """Finite coordinates of a loadmat numeric cell (1 x n or n x 1)."""
    values = np.asarray(cell)
    if values.dtype.kind not in 'iuf':
        raise ValueError(f'{axis} coordinates are not numeric '
                         f'({values.dtype})')
    values = values.astype(np.float64).ravel()
    if not np.isfinite(values).all():
        raise ValueError(f'non-finite {axis} coordinate')
    return values.tolist()


def parse_totaltext_mat_row(row: Any) -> Word:
    """Parse one word (row) of a TotalText ``.mat`` cell array.

    Args:
        row (np.ndarray): Six cells: ``'x:'``, xs, ``'y:'``, ys,
            transcription, orientation.

    Returns:
        tuple: ``(flat polygon, text, ignore)``.

    Raises:
        ValueError: If the row is malformed.
    """
    row = np.asarray(row, dtype=object).ravel()
    if row.size != 6:
        raise ValueError(f'expected 6 cells (x:, xs, y:, ys, text, ornt), '
                         f'got {row.size}')
    xs, ys = _mat_coords(row[1], 'x'), _mat_coords(row[3], 'y')
    if len(xs) != len(ys):
        raise ValueError(f'{len(xs)} x but {len(ys)} y coordinates')
    texts, ornts = _mat_strings(row[4]), _mat_strings(row[5])
    text = ','.join(texts) if any(texts) else TOTALTEXT_IGNORE
    ornt = ''.join(ornts).strip()
    polygon = np.stack([xs, ys], axis=1).ravel().tolist()
    return polygon, text, TOTALTEXT_IGNORE in (text, ornt)


def _loadmat(path: Path) -> dict:
    """``scipy.io.loadmat(path)`` with the errors this module documents."""
    try:
        from scipy.io import loadmat
    except ImportError as e:
        raise ImportError(
            f'{path}: reading TotalText .mat ground truth needs scipy '
            '(scipy.io.loadmat), which is not installed; install scipy or '
            f'convert the Txt_format release instead ({e})') from None
    try:
        return loadmat(str(path))
    except Exception as e:  # noqa: BLE001 (loadmat raises many types)
        raise SkipSample(
            'bad_gt_file', f'{path}: cannot read as a MATLAB file '
            f'({type(e).__name__}: {e})') from None


def parse_totaltext_mat(path: PathLike) -> Tuple[List[Word], List[str]]:
    """Parse a TotalText ``.mat`` polygon file (``polygt`` or ``gt``).

    Args:
        path (str or PathLike): The file.

    Returns:
        tuple[list, list[str]]: The words ``(flat polygon, text, ignore)``
        and one message (``'{path}, {key} row {i}: {why}'``) per
        malformed row.

    Raises:
        SkipSample: ``bad_gt_file`` if the file cannot be read or has no
            cell array variable ``polygt`` / ``gt``.
        ImportError: If scipy is not installed.
    """
    path = Path(path)
    data = _loadmat(path)
    key = next((k for k in TOTALTEXT_MAT_KEYS if k in data), None)
    cells = None if key is None else data[key]
    if key is None or not isinstance(cells, np.ndarray) or (
            cells.size and (cells.dtype != object or cells.ndim != 2)):
        found = sorted(k for k in data if not k.startswith('__'))
        raise SkipSample(
            'bad_gt_file', f'{path}: no N x 6 cell array variable '
            f'{" or ".join(TOTALTEXT_MAT_KEYS)} (variables: {found})')
    words, errors = [], []
    for index, row in enumerate(cells if cells.size else []):
        try:
            words.append(parse_totaltext_mat_row(row))
        except ValueError as e:
            errors.append(f'{path}, {key} row {index + 1}: {e}')
    return words, errors


def parse_totaltext_gt(path: PathLike) -> Tuple[List[Word], List[str]]:
    """Parse a TotalText polygon file by its extension (``.mat`` / text).

    Args:
        path (str or PathLike): ``poly_gt_{stem}.txt`` or ``.mat``.

    Returns:
        tuple[list, list[str]]: Words and malformed-record messages.
    """
    if Path(path).suffix.lower() == '.mat':
        return parse_totaltext_mat(path)
    return parse_totaltext_txt(path)


#: TotalText's file names and readers (the pixel rule at threshold 127).
TOTALTEXT_LAYOUT = PairedLayout(TOTALTEXT_GT_FMTS, TOTALTEXT_PIXEL_FMTS,
                                parse_totaltext_gt, bright_pixels)


def convert_totaltext(img_dir: PathLike,
                      gt_dir: PathLike,
                      pixel_dir: PathLike,
                      out_root: PathLike,
                      split: str = 'test',
                      *,
                      threshold: int = 127,
                      gt_name_fmts: Optional[Sequence[str]] = None,
                      pixel_name_fmts: Optional[Sequence[str]] = None,
                      stems: Optional[Sequence[str]] = None,
                      polygon_masks: bool = True,
                      fill_ignored: bool = False,
                      strict: bool = False,
                      progress: bool = True) -> TextSegReport:
    """Convert one TotalText split (see the module docstring for formats).

    Files are paired by stem as in
    :func:`~mmtextknow.datasets.converters.paired_layout.
    convert_paired_dirs`: every stem of an image, a gt file or a pixel
    mask is converted (unless ``stems`` is given), so a file whose
    partner is missing is a counted skip.

    Args:
        img_dir (str or PathLike): Images, e.g. ``Images/Test``.
        gt_dir (str or PathLike): Polygon files, e.g. ``Txt_format/Test``
            or ``Groundtruth/Polygon/Test``.
        pixel_dir (str or PathLike): Pixel masks, e.g.
            ``groundtruth_pixel/Test``.
        out_root (str or PathLike): Dataset root of the output.
        split (str): Split name. Defaults to 'test'.
        threshold (int): Luma above which a mask pixel is text.
            Defaults to 127.
        gt_name_fmts (Sequence[str], optional): Overrides
            :data:`TOTALTEXT_GT_FMTS`.
        pixel_name_fmts (Sequence[str], optional): Overrides
            :data:`TOTALTEXT_PIXEL_FMTS`.
        stems (Sequence[str], optional): Convert only these stems.
        polygon_masks (bool): Write polygon masks (255 cared, 127 don't
            care). Defaults to True.
        fill_ignored (bool): Fill don't-care words as text instead.
            Defaults to False.
        strict (bool): Raise a ``DataError`` on the first problem.
            Defaults to False.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        TextSegReport: What was converted, skipped and dropped.

    Raises:
        FileNotFoundError: If an input directory does not exist.
        ValueError: On an invalid name format or split.
        ImportError: On a ``.mat`` file without scipy.
        DataError: In strict mode, or if nothing could be converted.
    """
    img_dir = check_dir(img_dir, 'image directory')
    gt_dir = check_dir(gt_dir, 'annotation directory')
    pixel_dir = check_dir(pixel_dir, 'pixel gt directory')
    gt_fmts = tuple(gt_name_fmts or TOTALTEXT_GT_FMTS)
    pixel_fmts = tuple(pixel_name_fmts or TOTALTEXT_PIXEL_FMTS)
    rule = partial(bright_pixels, threshold=threshold)
    images = image_map(img_dir)
    gt_stems = stems_in_dir(gt_dir, gt_fmts)
    pixel_stems = stems_in_dir(pixel_dir, pixel_fmts)
    if stems is None:
        stems = sorted(set(images) | set(gt_stems) | set(pixel_stems))

    def load(stem: str, report: TextSegReport) -> SegSample:
        img_path = image_for_stem(images, stem, img_dir)
        gt_path = find_named_file(gt_dir, gt_fmts, stem, 'missing_gt',
                                  'annotation file')
        mask_file = find_named_file(pixel_dir, pixel_fmts, stem,
                                    'missing_pixel_mask', 'pixel gt')
        img_hw = image_hw(img_path)
        pixel = load_pixel_mask(mask_file, rule, img_path, img_hw)
        words, errors = parse_totaltext_gt(gt_path)
        for message in errors:
            report.count('malformed_annotation', message)
        instances = build_instances(words, str(gt_path), report)
        return SegSample(
            img_path,
            stem,
            instances,
            pixel_mask_file=mask_file,
            pixel_rule=rule,
            pixel_mask=pixel)

    return convert_samples(
        stems,
        load,
        out_root,
        split,
        polygon_masks=polygon_masks,
        fill_ignored=fill_ignored,
        strict=strict,
        progress=progress)


__all__ = [
    'TOTALTEXT_GT_FMTS', 'TOTALTEXT_LAYOUT', 'TOTALTEXT_MAT_KEYS',
    'TOTALTEXT_PIXEL_FMTS', 'convert_totaltext', 'parse_totaltext_gt',
    'parse_totaltext_mat', 'parse_totaltext_mat_row', 'parse_totaltext_record',
    'parse_totaltext_txt'
]
