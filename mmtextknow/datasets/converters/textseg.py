# Copyright (c) mmtextknow contributors. All rights reserved.
"""Shared pieces of the text segmentation converters.

A converter turns one source dataset (TotalText, ICDAR 2013, TextSeg,
COCO-TS / MLT-S) into our segmentation annotation format: an MMOCR
``OCRDataset`` (TextDetDataset) JSON ``{out_root}/textseg_{split}.json``
whose items hold ``img_path``, ``height``, ``width``, optional
``pixel_mask_path`` / ``polygon_mask_path`` and ``instances`` (word
polygons with ``text`` and ``ignore``). All paths are relative to
``out_root`` (the ``data_root`` of the dataset config; images that live
outside it get a ``../`` path). Masks are written as single-channel uint8
PNGs of the image's size in the values of
:mod:`mmtextknow.datasets.mask_values` (0 background, 255 text, 127 don't
care):

- ``masks/pixel/{split}/{name}.png``: 255 on text stroke pixels, 127 where
  the source says "ignore" / "don't care" (TextSeg's 255 label, ICDAR
  2013's don't-care characters), 0 elsewhere;
- ``masks/polygon/{split}/{name}.png`` (images with at least one word):
  255 inside the cared word polygons, 127 inside the ignored ones where no
  cared word covers them (255 with ``fill_ignored=True``), as
  ``RasterizePolygonMask`` does in the pipeline; see :func:`polygon_mask`.

Each source module builds one :class:`SegSample` per image with a
``load`` function; :func:`convert_samples` checks the image and the pixel
mask, writes the masks and the JSON, and fills a :class:`TextSegReport`.
A source signals a bad image by raising :class:`SkipSample`; see
:data:`SKIP_REASONS` for what is skipped and what is only counted.
"""
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import (Callable, Dict, Iterable, List, Optional, Sequence, Tuple,
                    TypeVar, Union)

import numpy as np
from PIL import Image

from mmtextknow.datasets.generators.masks import rasterize_polygons
from mmtextknow.datasets.mask_values import (FILE_BACKGROUND, FILE_IGNORE,
                                             FILE_TEXT)
from mmtextknow.datasets.ocr_json import dump_ocr_json, textdet_instance
from mmtextknow.utils import DataError, polygon_problem, track
from .icdar_txt import read_image_size

PathLike = Union[str, os.PathLike]
Key = TypeVar('Key')
#: ``(flat polygon, text, ignore)`` of one word.
Word = Tuple[List[float], str, bool]
#: Maps a decoded label image to its text mask: a boolean array (True =
#: text) or a uint8 array of file values (see :func:`to_file_values`).
PixelRule = Callable[[Image.Image], np.ndarray]

#: reason -> (report label, whether ``strict=True`` raises on it). Reasons
#: that raise skip a whole image (or one annotation line / word); the others
#: are only counted.
SKIP_REASONS: Dict[str, Tuple[str, bool]] = {
    'missing_image': ('images skipped (missing image file)', True),
    'corrupt_image': ('images skipped (corrupt image)', True),
    'missing_gt': ('images skipped (missing annotation file)', True),
    'bad_gt_file': ('images skipped (unreadable annotation file)', True),
    'missing_pixel_mask': ('images skipped (missing pixel mask)', True),
    'corrupt_pixel_mask': ('images skipped (corrupt pixel mask)', True),
    'mask_size_mismatch':
    ('images skipped (pixel mask size differs from image size)', True),
    'image_size_mismatch':
    ('images skipped (annotated size differs from image size)', True),
    'malformed_annotation':
    ('malformed annotations (lines / words) skipped', True),
    'degenerate_polygon': ('degenerate polygons dropped', False),
    'no_instance': ('images without any word (kept)', False),
    'mostly_text_mask':
    ('pixel masks with more than half text pixels (kept; check the rule)',
     False),
}


class SkipSample(Exception):
    """Raised by a source to skip (and count) one image.

    Args:
        reason (str): A key of :data:`SKIP_REASONS`.
        message (str): Starts with the offending path, says what is wrong.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class SegSample:
    """What a source knows about one image before it is written.

    Attributes:
        img_path (Path): The image file.
        name (str): Unique name of the image in its split; its masks are
            ``masks/{pixel,polygon}/{split}/{name}.png``.
        instances (list[dict]): Checked MMOCR instances
            (:func:`build_instances`).
        pixel_mask_file (Path, optional): Label image of the pixel-level
            ground truth; None when the source has none.
        pixel_rule (callable, optional): Label image -> text mask (boolean,
            or file values, :func:`to_file_values`); required with
            ``pixel_mask_file``.
        pixel_mask (np.ndarray, optional): An already computed text mask
            (boolean or file values), used instead of ``pixel_mask_file``.
        extra (dict): More keys of the data item, written before
            ``instances``.
    """
    img_path: Path
    name: str
    instances: List[dict] = field(default_factory=list)
    pixel_mask_file: Optional[Path] = None
    pixel_rule: Optional[PixelRule] = None
    pixel_mask: Optional[np.ndarray] = None
    extra: dict = field(default_factory=dict)


@dataclass
class TextSegReport:
    """Counters and listed problems of one conversion.

    Attributes:
        out_json (str): The JSON file written.
        strict (bool): Whether problems flagged in :data:`SKIP_REASONS`
            raise a :class:`~mmtextknow.utils.DataError` instead.
        num_images (int): Images written.
        num_instances (int): Instances written, ignored ones included.
        num_ignored_instances (int): Instances written with ``ignore``.
        num_pixel_masks (int): Pixel-level masks written.
        num_ignore_pixel_masks (int): Pixel-level masks with don't-care
            (127) pixels.
        num_polygon_masks (int): Polygon-level masks written.
        problems (dict[str, list[str]]): reason -> messages, one per
            occurrence, each starting with the offending path.
    """
    out_json: str = ''
    strict: bool = False
    num_images: int = 0
    num_instances: int = 0
    num_ignored_instances: int = 0
    num_pixel_masks: int = 0
    num_ignore_pixel_masks: int = 0
    num_polygon_masks: int = 0
    problems: Dict[str, List[str]] = field(default_factory=dict)

    def count(self, reason: str, message: str) -> None:
        """Record one problem, or raise in strict mode.

        Args:
            reason (str): A key of :data:`SKIP_REASONS`.
            message (str): Starts with the offending path.

        Raises:
            DataError: In strict mode, for reasons flagged to raise.
        """
        if self.strict and SKIP_REASONS[reason][1]:
            raise DataError(message)
        self.problems.setdefault(reason, []).append(message)

    def num(self, reason: str) -> int:
        """int: How often ``reason`` was recorded."""
        return len(self.problems.get(reason, []))

    def summary(self) -> str:
        """Human-readable report: totals, then one block per problem.

        Returns:
            str: The summary (no trailing newline).
        """
        lines = [
            f'images converted: {self.num_images}',
            f'instances: {self.num_instances} '
            f'({self.num_ignored_instances} ignored)',
            f'pixel masks: {self.num_pixel_masks} '
            f"({self.num_ignore_pixel_masks} with don't-care pixels)",
            f'polygon masks: {self.num_polygon_masks}',
        ]
        for reason, (label, _) in SKIP_REASONS.items():
            messages = self.problems.get(reason, [])
            if messages:
                lines.append(f'{label}: {len(messages)}')
                lines.extend(f'  - {m}' for m in messages)
        return '\n'.join(lines)


def build_instances(words: Iterable[Word], source: str,
                    report: TextSegReport) -> List[dict]:
    """Build MMOCR instances, dropping and counting degenerate polygons.

    Args:
        words (Iterable[tuple]): ``(flat polygon, text, ignore)`` per word.
        source (str): Where the words come from (file, line), for messages.
        report (TextSegReport): Receives the ``degenerate_polygon`` counts.

    Returns:
        list[dict]: Instances of :func:`textdet_instance`, coordinates as
        Python floats.
    """
    instances = []
    for polygon, text, ignore in words:
        problem = polygon_problem(polygon)
        if problem is not None:
            report.count('degenerate_polygon', f'{source}: {problem} '
                         f'(text {text!r})')
            continue
        coords = [float(v) for v in np.asarray(polygon).ravel()]
        instances.append(textdet_instance(coords, text, bool(ignore)))
    return instances


def read_gt_text(path: Path) -> str:
    """Read an annotation text file as ``utf-8-sig``.

    Args:
        path (Path): The file.

    Returns:
        str: Its content, line endings normalised to ``\\n``.

    Raises:
        SkipSample: ``bad_gt_file`` if it cannot be read as UTF-8.
    """
    try:
        return path.read_text(encoding='utf-8-sig')
    except (OSError, UnicodeDecodeError) as e:
        raise SkipSample('bad_gt_file',
                         f'{path}: cannot read as UTF-8 text ({e})') from None


def parse_records(
        path: Path, records: Iterable[Tuple[int, str]],
        parse: Callable[[str], Word]) -> Tuple[List[Word], List[str]]:
    """Parse the records of a text annotation file, collecting errors.

    Args:
        path (Path): The file, for the messages.
        records (Iterable[tuple[int, str]]): ``(1-based line, record)``.
        parse (callable): Record -> ``(flat polygon, text, ignore)``;
            raises ``ValueError`` on a malformed record.

    Returns:
        tuple[list, list[str]]: The words and one message
        (``'{path}, line {n}: {why}: {record}'``) per malformed record.
    """
    words, errors = [], []
    for lineno, record in records:
        try:
            words.append(parse(record))
        except ValueError as e:
            errors.append(f'{path}, line {lineno}: {e}: {record[:80]!r}')
    return words, errors


def load_json_object(path: PathLike, what: str) -> dict:
    """Read a JSON file whose top level must be an object.

    Args:
        path (str or PathLike): The file.
        what (str): What it is, for the message.

    Returns:
        dict: The content.

    Raises:
        DataError: If it cannot be read, is not JSON or not an object.
    """
    path = Path(path)
    try:
        content = json.loads(path.read_text(encoding='utf-8-sig'))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataError(f'{path}: cannot read {what} ({e})') from None
    if not isinstance(content, dict):
        raise DataError(f'{path}: {what} is not a JSON object')
    return content


def bright_pixels(label: Image.Image, threshold: int = 127) -> np.ndarray:
    """Binary-mask rule: text where the luma is above ``threshold``.

    The luma is Pillow's ``convert('L')`` (ITU-R BT.601).

    Args:
        label (Image.Image): The mask image.
        threshold (int): Luma threshold (0-255). Defaults to 127, as
            ``LoadTextMasks``.

    Returns:
        np.ndarray: Boolean text mask, shape (h, w).
    """
    return np.asarray(label.convert('L')) > threshold


def to_file_values(mask: np.ndarray) -> np.ndarray:
    """A text mask in the values written to disk.

    A boolean mask is text (``True`` -> :data:`FILE_TEXT`) or background.
    Any other array is read as file values: 0 background,
    :data:`FILE_IGNORE` (127) don't care, any other non-zero value text.

    Args:
        mask (np.ndarray): Boolean or integer mask, shape (h, w).

    Returns:
        np.ndarray: uint8 mask of :data:`FILE_BACKGROUND`,
        :data:`FILE_TEXT` and :data:`FILE_IGNORE`.
    """
    mask = np.asarray(mask)
    if mask.dtype == bool:
        return np.where(mask, FILE_TEXT, FILE_BACKGROUND).astype(np.uint8)
    out = np.where(mask != 0, FILE_TEXT, FILE_BACKGROUND).astype(np.uint8)
    out[mask == FILE_IGNORE] = FILE_IGNORE
    return out


def stored_mask_values(label: Image.Image) -> np.ndarray:
    """Rule for masks already in our file values (converted datasets).

    Grey values as stored (colour reduced to luma): :data:`FILE_IGNORE` is
    don't care, above 127 text, else background (what
    :class:`~mmtextknow.datasets.transforms.LoadTextMasks` reads).

    Args:
        label (Image.Image): A converted mask PNG.

    Returns:
        np.ndarray: uint8 file values, shape (h, w).
    """
    values = np.asarray(label.convert('L'))
    out = np.where(values > 127, FILE_TEXT, FILE_BACKGROUND).astype(np.uint8)
    out[values == FILE_IGNORE] = FILE_IGNORE
    return out


def image_hw(img_path: Path) -> Tuple[int, int]:
    """Height and width of an image that must exist and decode.

    Args:
        img_path (Path): The image.

    Returns:
        tuple[int, int]: ``(height, width)``.

    Raises:
        SkipSample: ``missing_image`` or ``corrupt_image``.
    """
    if not img_path.is_file():
        raise SkipSample('missing_image', f'{img_path}: image not found')
    try:
        return read_image_size(img_path)
    except DataError as e:
        raise SkipSample('corrupt_image', str(e)) from None


def load_pixel_mask(mask_file: Path, rule: PixelRule, img_path: Path,
                    img_hw: Tuple[int, int]) -> np.ndarray:
    """Decode a label image, check its size and apply ``rule``.

    Args:
        mask_file (Path): The label image.
        rule (callable): Label image -> text mask (boolean or file values).
            A ``ValueError`` it raises (e.g. an unexpected label value) is
            a ``corrupt_pixel_mask`` skip.
        img_path (Path): Its image, for the messages.
        img_hw (tuple[int, int]): The image's ``(height, width)``.

    Returns:
        np.ndarray: uint8 file values (:func:`to_file_values`), shape
        ``img_hw``.

    Raises:
        SkipSample: ``missing_pixel_mask``, ``corrupt_pixel_mask`` or
            ``mask_size_mismatch`` (naming the mask and the image).
    """
    if not mask_file.is_file():
        raise SkipSample(
            'missing_pixel_mask', f'{mask_file}: pixel mask of '
            f'{img_path} not found')
    try:
        with Image.open(mask_file) as label:
            label.load()
            mask_hw = (label.height, label.width)
            if mask_hw == tuple(img_hw):
                return to_file_values(rule(label))
    except Exception as e:  # noqa: BLE001 (Pillow raises many types)
        reason = ' '.join(str(e).split())
        raise SkipSample(
            'corrupt_pixel_mask', f'{mask_file}: cannot decode pixel mask '
            f'({type(e).__name__}: {reason})') from None
    raise SkipSample(
        'mask_size_mismatch',
        f'{mask_file}: mask size {mask_hw[1]}x{mask_hw[0]} differs from its '
        f'image {img_path} ({img_hw[1]}x{img_hw[0]})')


def write_mask(mask: np.ndarray, out_root: Path, rel_path: str) -> str:
    """Write a mask as a uint8 PNG of file values (0 / 255 / 127 ignore).

    Args:
        mask (np.ndarray): Boolean mask or file values
            (:func:`to_file_values`), shape (h, w).
        out_root (Path): Dataset root.
        rel_path (str): Path of the PNG relative to ``out_root``.

    Returns:
        str: ``rel_path``.
    """
    path = out_root / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(to_file_values(mask)).save(path, format='PNG')
    return rel_path


def polygon_mask(instances: Sequence[dict],
                 img_hw: Tuple[int, int],
                 fill_ignored: bool = False) -> np.ndarray:
    """Fill the word polygons of an image in file values.

    Cared words are :data:`FILE_TEXT` (255), ignored (don't care) words
    :data:`FILE_IGNORE` (127) where no cared word covers them, the rest
    :data:`FILE_BACKGROUND` (0).

    Args:
        instances (Sequence[dict]): MMOCR instances with ``polygon`` and
            ``ignore``.
        img_hw (tuple[int, int]): Mask size ``(h, w)``.
        fill_ignored (bool): Fill ignored words as text instead of
            :data:`FILE_IGNORE`. Defaults to False.

    Returns:
        np.ndarray: uint8 mask of shape ``img_hw`` with values 0, 127, 255.
    """
    cared = [
        i['polygon'] for i in instances if fill_ignored or not i['ignore']
    ]
    ignored = [
        i['polygon'] for i in instances if i['ignore'] and not fill_ignored
    ]
    mask = np.full(img_hw, FILE_BACKGROUND, dtype=np.uint8)
    mask[rasterize_polygons(ignored, img_hw) > 0] = FILE_IGNORE
    mask[rasterize_polygons(cared, img_hw) > 0] = FILE_TEXT
    return mask


def relative_posix(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (symlinks kept), with ``/``.

    Args:
        path (Path): A file.
        root (Path): The dataset root.

    Returns:
        str: The relative path.
    """
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return Path(rel).as_posix()


@dataclass
class SegOutput:
    """Where and what a converter writes.

    Attributes:
        out_root (Path): Dataset root; receives ``textseg_{split}.json`` and
            ``masks/``.
        split (str): Split name.
        polygon_masks (bool): Write ``polygon_mask_path`` masks for images
            with words. Defaults to True.
        fill_ignored (bool): Fill ``ignore`` words into polygon masks.
            Defaults to False.
    """
    out_root: Path
    split: str
    polygon_masks: bool = True
    fill_ignored: bool = False

    @property
    def out_json(self) -> Path:
        """Path: ``{out_root}/textseg_{split}.json``."""
        return self.out_root / f'textseg_{self.split}.json'

    def mask_rel_path(self, kind: str, name: str) -> str:
        """``masks/{kind}/{split}/{name}.png``."""
        return f'masks/{kind}/{self.split}/{name}.png'


def write_sample(sample: SegSample, output: SegOutput,
                 report: TextSegReport) -> dict:
    """Check one sample, write its masks and build its data item.

    Args:
        sample (SegSample): The sample.
        output (SegOutput): Output options.
        report (TextSegReport): Receives the counts.

    Returns:
        dict: The ``data_list`` item.

    Raises:
        SkipSample: If the image or its pixel mask is unusable.
    """
    img_hw = image_hw(sample.img_path)
    pixel = sample.pixel_mask
    if pixel is None and sample.pixel_mask_file is not None:
        pixel = load_pixel_mask(sample.pixel_mask_file, sample.pixel_rule,
                                sample.img_path, img_hw)
    if pixel is not None:
        pixel = to_file_values(pixel)
    item = dict(
        img_path=relative_posix(sample.img_path, output.out_root),
        height=img_hw[0],
        width=img_hw[1])
    if pixel is not None:
        text_share = float((pixel == FILE_TEXT).mean())
        if text_share > 0.5:
            report.count(
                'mostly_text_mask',
                f'{sample.pixel_mask_file or sample.img_path}: '
                f'{text_share:.0%} text pixels')
        report.num_ignore_pixel_masks += bool((pixel == FILE_IGNORE).any())
        item['pixel_mask_path'] = write_mask(
            pixel, output.out_root, output.mask_rel_path('pixel', sample.name))
        report.num_pixel_masks += 1
    if output.polygon_masks and sample.instances:
        item['polygon_mask_path'] = write_mask(
            polygon_mask(sample.instances, img_hw, output.fill_ignored),
            output.out_root, output.mask_rel_path('polygon', sample.name))
        report.num_polygon_masks += 1
    if not sample.instances:
        report.count('no_instance', f'{sample.img_path}: no word')
    item.update(sample.extra)
    item['instances'] = sample.instances
    report.num_images += 1
    report.num_instances += len(sample.instances)
    report.num_ignored_instances += sum(i['ignore'] for i in sample.instances)
    return item


def convert_samples(keys: Iterable[Key],
                    load: Callable[[Key, TextSegReport], SegSample],
                    out_root: PathLike,
                    split: str,
                    *,
                    polygon_masks: bool = True,
                    fill_ignored: bool = False,
                    strict: bool = False,
                    extra_metainfo: Optional[dict] = None,
                    progress: bool = True) -> TextSegReport:
    """Convert the samples of one split and write its JSON.

    Args:
        keys (Iterable): One key per image, passed to ``load``.
        load (callable): ``(key, report) -> SegSample``; raises
            :class:`SkipSample` to skip the image.
        out_root (str or PathLike): Dataset root.
        split (str): Split name (``textseg_{split}.json``).
        polygon_masks (bool): Write polygon masks. Defaults to True.
        fill_ignored (bool): Fill ignored words into the polygon masks.
            Defaults to False.
        strict (bool): Raise a :class:`DataError` on the problems flagged in
            :data:`SKIP_REASONS` instead of skipping them.
            Defaults to False.
        extra_metainfo (dict, optional): Added to the JSON's ``metainfo``.
        progress (bool): Show a progress bar (mmengine's, on standard
            output). Defaults to True.

    Returns:
        TextSegReport: Counters and skipped items.

    Raises:
        DataError: In strict mode, or if no image could be converted.
        ValueError: On an invalid split name.
    """
    _check_split(split)
    output = SegOutput(Path(out_root), split, polygon_masks, fill_ignored)
    report = TextSegReport(out_json=str(output.out_json), strict=strict)
    data_list, names = [], set()
    keys = list(keys)
    for key in track(keys, len(keys), enabled=progress, step=10):
        try:
            sample = load(key, report)
            if sample.name in names:
                raise SkipSample(
                    'malformed_annotation',
                    f'{sample.img_path}: another image of split {split!r} '
                    f'has the same name {sample.name!r}')
            data_list.append(write_sample(sample, output, report))
            names.add(sample.name)
        except SkipSample as skip:
            report.count(skip.reason, skip.message)
    if not data_list:
        counts = {r: len(m) for r, m in report.problems.items()}
        raise DataError(f'{output.out_json}: no image could be converted '
                        f'(problems: {counts})')
    dump_ocr_json(data_list, output.out_json, extra_metainfo)
    return report


def _check_split(split: str) -> None:
    """Ensure ``split`` is a plain file-name part."""
    if not split or split != os.path.basename(split) or split in ('.', '..'):
        raise ValueError(f'invalid split name {split!r}')


def run_conversion(convert: Callable[[], TextSegReport]) -> None:
    """Run a conversion for a CLI and print its report.

    :class:`~mmtextknow.utils.DataError` propagates (to
    :func:`~mmtextknow.utils.run_cli`); another ``ValueError`` (an invalid
    option) exits with status 1 and a one-line message.

    Args:
        convert (callable): Runs the conversion, returns its report.
    """
    try:
        report = convert()
    except DataError:
        raise
    except ValueError as e:
        sys.exit(f'error: {e}')
    print(report.summary())
    print(f'written: {report.out_json}')
