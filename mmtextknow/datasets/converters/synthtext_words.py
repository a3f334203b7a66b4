# Copyright (c) mmtextknow contributors. All rights reserved.
"""Image-level word lists (STKM pre-training labels) as MMOCR JSON.

STKM is pre-trained on the words of each image, without their locations.
Two inputs are converted to the same OCRDataset JSON, whose ``data_list``
items are::

    {"img_path": "8/ballet_106_0.jpg",
     "instances": [{"text": "Lines:", "ignore": false}, ...]}

(``height`` and ``width`` only on request, no boxes), with ``metainfo``
``task_name`` ``'textseq'``.

1. SynthText's ``gt.mat`` (:func:`convert_synthtext_words`). Assumed
   layout, the one of the released file (a MATLAB v5/v7 file readable by
   :func:`scipy.io.loadmat`), of which only ``imnames`` and ``txt`` are
   read (``wordBB`` / ``charBB`` are not loaded):

   - ``imnames``: a 1 x N cell array; cell ``i`` is a char array holding
     the image path relative to the SynthText root, e.g.
     ``'8/ballet_106_0.jpg'`` (loaded as a 1-element string array);
   - ``txt``: a 1 x N cell array; cell ``i`` is a char matrix (loaded as an
     array of strings, right-padded with spaces) or a cell array of
     strings. Each string holds one or more words separated by spaces and
     newlines (SynthText renders multi-line text blocks). The words of
     image ``i`` are all the whitespace-separated tokens of all its
     strings, in order; there is no ``###`` in SynthText, so every word is
     kept with ``ignore: false``.

   ``img_path`` is ``img_prefix + imname``. MATLAB v7.3 (HDF5) files are
   not supported by scipy and are reported as unreadable.
2. Any MMOCR OCRDataset detection JSON (:func:`convert_det_json_words`),
   e.g. one written by ``icdar_txt2json.py``: every instance's ``text``
   becomes a word; ignored instances are kept with ``ignore: true`` so
   that the pipeline can drop them. ``img_path`` is ``img_prefix`` + the
   file's ``img_path``; ``height``/``width`` are copied when present.

Words and skips, in both modes:

- a text is split on whitespace; a text with several tokens becomes
  several words with the instance's ``ignore`` flag (counted as "texts
  split into several words");
- an empty or whitespace-only text gives no word and is counted;
- an image left without any non-ignored word is skipped and counted (it
  carries no pre-training signal);
- a missing, unreadable or malformed input file raises
  :class:`~mmtextknow.utils.DataError` naming it, as does a run where no
  image is left.
"""
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Optional, Tuple, Union

import numpy as np
from PIL import Image

from mmtextknow.datasets.ocr_json import dump_ocr_json
from mmtextknow.utils import DataError, StepProgress

PathLike = Union[str, os.PathLike]

#: ``metainfo`` keys written on top of the detection defaults.
TEXTSEQ_METAINFO = {'dataset_type': 'OCRDataset', 'task_name': 'textseq'}

#: The progress bar is advanced every this many images.
_PROGRESS_STEP = 1000


@dataclass
class WordListReport:
    """Counters of one conversion.

    Attributes:
        out_json (str): The JSON file written.
        num_images (int): Images written to ``data_list``.
        num_words (int): Words written, ignored ones included.
        num_ignored_words (int): Words written with ``ignore: true``.
        num_split_texts (int): Texts split into several words.
        num_empty_texts (int): Empty / whitespace-only texts (no word).
        num_images_without_words (int): Images skipped because they have
            no non-ignored word.
        num_missing_images (int): Images skipped because their file was not
            found while reading image sizes.
        missing_images (list[str]): Their paths.
    """
    out_json: str = ''
    num_images: int = 0
    num_words: int = 0
    num_ignored_words: int = 0
    num_split_texts: int = 0
    num_empty_texts: int = 0
    num_images_without_words: int = 0
    num_missing_images: int = 0
    missing_images: List[str] = field(default_factory=list)

    _SUMMARY_ROWS = (
        ('num_images', 'images converted'),
        ('num_words', 'words'),
        ('num_ignored_words', 'ignored words (kept, ignore=true)'),
        ('num_split_texts', 'texts split into several words'),
        ('num_empty_texts', 'empty texts skipped'),
        ('num_images_without_words', 'images skipped (no word)'),
        ('num_missing_images', 'images skipped (image file not found)'),
    )

    def summary(self) -> str:
        """Human-readable report, one line per nonzero counter.

        Returns:
            str: The summary (no trailing newline).
        """
        lines = [
            f'{label}: {getattr(self, attr)}'
            for attr, label in self._SUMMARY_ROWS if getattr(self, attr)
        ]
        lines.extend(f'  - {p}' for p in self.missing_images)
        return '\n'.join(lines)


def _strings(value: Any) -> Iterator[str]:
    """All the strings inside a loaded MATLAB value, in order.

    Args:
        value (Any): A ``str``, ``bytes`` or (nested, object) numpy array.

    Yields:
        str: The strings.
    """
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):
        yield value.decode('utf-8', errors='replace')
    elif isinstance(value, np.ndarray):
        for item in value.flat:
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    else:
        raise TypeError(f'expected strings, got {type(value).__name__}')


def load_synthtext_gt(gt_mat: PathLike) -> Tuple[List[str], List[Any]]:
    """Read ``imnames`` and ``txt`` of a SynthText ``gt.mat``.

    See the module docstring for the assumed layout.

    Args:
        gt_mat (str or PathLike): The ``gt.mat`` file.

    Returns:
        tuple[list[str], list]: The N image names and the N raw ``txt``
        cells (parse them with :func:`words_of_texts`).

    Raises:
        DataError: If the file is missing, unreadable or lacks the
            expected variables.
    """
    from scipy.io import loadmat  # slow import, only needed here
    gt_mat = Path(gt_mat)
    if not gt_mat.is_file():
        raise DataError(f'{gt_mat}: file not found')
    try:
        mat = loadmat(str(gt_mat), variable_names=['imnames', 'txt'])
    # scipy raises ValueError, TypeError, NotImplementedError (v7.3), ...
    except Exception as e:  # noqa: BLE001
        reason = ' '.join(str(e).split())
        raise DataError(f'{gt_mat}: cannot read MATLAB file '
                        f'({type(e).__name__}: {reason})') from None
    for key in ('imnames', 'txt'):
        if key not in mat:
            raise DataError(f'{gt_mat}: no {key!r} variable '
                            '(not a SynthText gt.mat?)')
    cells = [np.asarray(mat[key], dtype=object).ravel()
             for key in ('imnames', 'txt')]
    if len(cells[0]) != len(cells[1]):
        raise DataError(f'{gt_mat}: {len(cells[0])} imnames but '
                        f'{len(cells[1])} txt entries')
    imnames = []
    for i, cell in enumerate(cells[0]):
        try:
            names = [s.strip() for s in _strings(cell)]
        except TypeError as e:
            raise DataError(f'{gt_mat}: imnames[{i}]: {e}') from None
        if len(names) != 1 or not names[0]:
            raise DataError(f'{gt_mat}: imnames[{i}] is not one image name: '
                            f'{names!r}')
        imnames.append(names[0])
    return imnames, list(cells[1])


def _add_words(texts: Iterable[Tuple[str, bool]],
               report: WordListReport) -> List[dict]:
    """Split texts into word instances and update the report counters.

    Args:
        texts (Iterable[tuple[str, bool]]): ``(text, ignore)`` pairs.
        report (WordListReport): The report to update.

    Returns:
        list[dict]: ``{"text": word, "ignore": ignore}`` instances.
    """
    instances = []
    for text, ignore in texts:
        words = text.split()
        if not words:
            report.num_empty_texts += 1
            continue
        if len(words) > 1:
            report.num_split_texts += 1
        instances.extend(dict(text=w, ignore=bool(ignore)) for w in words)
    return instances


def _make_entry(img_path: str, instances: List[dict],
                report: WordListReport,
                size: Optional[Tuple[int, int]] = None) -> Optional[dict]:
    """The ``data_list`` item of an image, or None if it has no word.

    Args:
        img_path (str): The ``img_path`` to write.
        instances (list[dict]): Its word instances.
        report (WordListReport): The report to update.
        size (tuple[int, int], optional): ``(height, width)`` to write.

    Returns:
        dict or None: The item, or None (counted) if no word is usable.
    """
    if not any(not inst['ignore'] for inst in instances):
        report.num_images_without_words += 1
        return None
    entry = dict(img_path=img_path)
    if size is not None:
        entry['height'], entry['width'] = size
    entry['instances'] = instances
    report.num_images += 1
    report.num_words += len(instances)
    report.num_ignored_words += sum(inst['ignore'] for inst in instances)
    return entry


def _check_limit(limit: Optional[int]) -> None:
    """Raise ValueError unless ``limit`` is None or positive."""
    if limit is not None and limit < 1:
        raise ValueError(f'limit must be a positive integer, got {limit}')


def _finish(data_list: List[dict], out_json: Path, source: str,
            report: WordListReport, num_input: int) -> WordListReport:
    """Write the JSON, or raise if no image is left."""
    if not data_list:
        raise DataError(f'{source}: no image with words among the '
                        f'{num_input} image(s) read')
    dump_ocr_json(data_list, out_json, extra_metainfo=TEXTSEQ_METAINFO)
    return report


def convert_synthtext_words(gt_mat: PathLike,
                            out_json: PathLike,
                            *,
                            img_prefix: str = '',
                            img_dir: Optional[PathLike] = None,
                            read_size: bool = False,
                            limit: Optional[int] = None,
                            progress: bool = True) -> WordListReport:
    """Convert SynthText's ``gt.mat`` to image-level word lists.

    Args:
        gt_mat (str or PathLike): The ``gt.mat`` file.
        out_json (str or PathLike): Output JSON (parents created).
        img_prefix (str): Prepended to each image name in ``img_path``
            (e.g. ``'SynthText/'``), so that it is relative to the dataset
            config's image root. Defaults to ``''``.
        img_dir (str or PathLike, optional): Directory holding the image
            names, used to read sizes. Defaults to the directory of
            ``gt_mat`` (SynthText's layout).
        read_size (bool): Write ``height`` and ``width``, read from each
            image header (slow for 800k images). Images not found are then
            skipped and counted. Defaults to False.
        limit (int, optional): Convert only the first ``limit`` images.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        WordListReport: The counters.

    Raises:
        DataError: If ``gt_mat`` is missing, unreadable or malformed, or no
            image has a word.
        ValueError: If ``limit`` is not positive.
    """
    _check_limit(limit)
    gt_mat = Path(gt_mat)
    out_json = Path(out_json)
    img_dir = Path(img_dir) if img_dir is not None else gt_mat.parent
    imnames, txts = load_synthtext_gt(gt_mat)
    if limit is not None:
        imnames, txts = imnames[:limit], txts[:limit]
    report = WordListReport(out_json=str(out_json))
    bar = StepProgress(len(imnames), progress, step=_PROGRESS_STEP)
    data_list = []
    for i, (imname, txt) in enumerate(zip(imnames, txts)):
        bar.update()
        try:
            texts = [(s, False) for s in _strings(txt)]
        except TypeError as e:
            raise DataError(f'{gt_mat}: txt[{i}]: {e}') from None
        size = None
        if read_size:
            size = _image_size(img_dir / imname, report)
            if size is None:
                continue
        entry = _make_entry(img_prefix + imname, _add_words(texts, report),
                            report, size)
        if entry is not None:
            data_list.append(entry)
    return _finish(data_list, out_json, str(gt_mat), report, len(imnames))


def _image_size(path: Path,
                report: WordListReport) -> Optional[Tuple[int, int]]:
    """``(height, width)`` from an image header; None (counted) if missing.

    Raises:
        DataError: If the file exists but is not a readable image.
    """
    if not path.is_file():
        report.num_missing_images += 1
        report.missing_images.append(str(path))
        return None
    try:
        with Image.open(path) as img:  # reads the header only
            width, height = img.size
    except Exception as e:  # noqa: BLE001
        raise DataError(f'{path}: cannot read image header '
                        f'({type(e).__name__}: {e})') from None
    return height, width


def _load_det_json(det_json: Path) -> List[dict]:
    """The ``data_list`` of an OCRDataset JSON file.

    Raises:
        DataError: If the file is missing or not an OCRDataset JSON.
    """
    if not det_json.is_file():
        raise DataError(f'{det_json}: file not found')
    try:
        with open(det_json, encoding='utf-8') as f:
            content = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        raise DataError(f'{det_json}: not a valid JSON file ({e})') from None
    data_list = (
        content.get('data_list') if isinstance(content, dict) else None)
    if not isinstance(data_list, list):
        raise DataError(f'{det_json}: no "data_list" list '
                        '(not an MMOCR OCRDataset JSON?)')
    return data_list


def convert_det_json_words(det_json: PathLike,
                           out_json: PathLike,
                           *,
                           img_prefix: str = '',
                           limit: Optional[int] = None,
                           progress: bool = True) -> WordListReport:
    """Convert an OCRDataset detection JSON to image-level word lists.

    Args:
        det_json (str or PathLike): The detection JSON (instances with
            ``text`` and ``ignore``; boxes are dropped).
        out_json (str or PathLike): Output JSON (parents created).
        img_prefix (str): Prepended to each ``img_path``. Defaults to
            ``''``.
        limit (int, optional): Convert only the first ``limit`` images.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        WordListReport: The counters.

    Raises:
        DataError: If ``det_json`` is missing or malformed, or no image
            has a word.
        ValueError: If ``limit`` is not positive.
    """
    _check_limit(limit)
    det_json = Path(det_json)
    data_list_in = _load_det_json(det_json)
    if limit is not None:
        data_list_in = data_list_in[:limit]
    report = WordListReport(out_json=str(out_json))
    bar = StepProgress(len(data_list_in), progress, step=_PROGRESS_STEP)
    data_list = []
    for i, item in enumerate(data_list_in):
        bar.update()
        try:
            img_path = item['img_path']
            texts = [(inst.get('text', ''), inst.get('ignore', False))
                     for inst in item.get('instances', [])]
            if not all(isinstance(t, str) for t, _ in texts):
                raise TypeError('a text is not a string')
        except (KeyError, TypeError, AttributeError) as e:
            raise DataError(f'{det_json}: data_list[{i}] is malformed '
                            f'({type(e).__name__}: {e})') from None
        size = None
        if 'height' in item and 'width' in item:
            size = (item['height'], item['width'])
        entry = _make_entry(img_prefix + img_path, _add_words(texts, report),
                            report, size)
        if entry is not None:
            data_list.append(entry)
    return _finish(data_list, Path(out_json), str(det_json), report,
                   len(data_list_in))
