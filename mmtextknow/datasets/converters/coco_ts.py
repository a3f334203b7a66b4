# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert COCO-Text v2 (optionally its COCO-TS subset) to segmentation JSON.

Items get word ``instances`` and a polygon mask (255 inside cared words,
127 inside illegible ones, see
:func:`~mmtextknow.datasets.converters.textseg.polygon_mask`), never a
``pixel_mask_path``.

Inputs:

- ``ann_file``: ``cocotext.v2.json`` (or a COCO-style JSON), read by
  :func:`~mmtextknow.datasets.converters.cocotext_json.load_text_json`,
  whose docstring gives the layout. ``file_name`` is relative to
  ``img_dir``: for COCO-Text the MSCOCO ``train2014/`` folder (all
  COCO-Text images, ``set`` train and val, are MSCOCO 2014 training
  images). An image whose ``height`` / ``width`` differ from its file is
  a counted skip.
- ``sets``: COCO-Text ``set`` values to keep (e.g. ``['train']``);
  default all.
- ``label_dir`` (COCO-TS): the released ``COCO_TS_labels`` folder, one
  ``{stem}.png`` per image, named after the COCO-Text image
  (``COCO_train2014_000000000036.png``). VERIFIED: the release is PNG
  label maps only (values 0 / 1 / 255 uncertain), 14,690 images, MSCOCO
  2014 training images (authors' page, SimoneBonechi/SimoneBonechi.github.io
  ``_downloads_text/coco_ts.md``); TexRNet (``ds_cocotext.py``) looks
  the maps up as ``coco_ts_labels/{file stem}.png`` for images of both
  COCO-Text sets. ASSUMED: the zip unpacks to one flat folder of PNGs
  (the folder given here). With ``label_dir`` exactly the images that
  have a label map are converted (their COCO-Text words); a label map
  without an image entry in the JSON is a counted ``missing_gt`` skip,
  one that cannot be opened or whose size differs from its image a
  counted skip too. The label values are not used.

Why the polygons come from COCO-Text and not from the label maps: MGNet
(TIP 2021, Sec. IV-A) trains on COCO-TS "polygon-level masks" only,
describes COCO-TS as "a subset of COCO-Text [...] each one has at least
one polygon bounding box", and discards the machine-made pixel masks as
too noisy. COCO-TS's maps were themselves generated from the COCO-Text
boxes, so the COCO-Text word polygons of the same images are the
polygon-level ground truth the paper means; polygons re-derived from the
label maps (contours, min-area rectangles) would carry the label noise
the paper avoids and lose the illegible (don't care) flag.

Bad input is counted in the :class:`TextSegReport` (``strict`` raises on
the first problem instead): malformed annotations (no usable polygon,
RLE, an ``imgToAnns`` id missing from ``anns``, an annotation of an
unknown image), degenerate polygons, missing / corrupt images, size
mismatches, label maps without an image entry. An unreadable JSON or one
with neither layout raises a ``DataError`` naming it.
"""
from pathlib import Path, PurePosixPath
from typing import Callable, List, Optional, Sequence, Set, Tuple

from mmtextknow.utils import DataError
from .cocotext_json import TextImage, coco_words, load_text_json
from .icdar_txt import _check_dir as check_dir
from .label_maps import check_label_map, find_label_maps
from .textseg import (PathLike, SegSample, SkipSample, TextSegReport,
                      build_instances, convert_samples, image_hw)

#: One image to convert: its JSON entry and its label map (or None).
CocoKey = Tuple[TextImage, Optional[Path]]


def _sample_name(file_name: str) -> str:
    """Mask name of an image: its file name without extension.

    Args:
        file_name (str): ``file_name`` of the image entry.

    Returns:
        str: e.g. ``'COCO_train2014_000000000009'``.

    Raises:
        ValueError: For an absolute path or one with ``..``.
    """
    path = PurePosixPath(file_name.replace('\\', '/'))
    if path.is_absolute() or '..' in path.parts or not path.stem:
        raise ValueError(f'unsafe file_name {file_name!r}')
    return path.with_suffix('').as_posix()


def _file_name(image: TextImage) -> str:
    """The image's ``file_name``, or a ``malformed_annotation`` skip."""
    entry = image.entry
    if not isinstance(entry, dict) or not isinstance(
            entry.get('file_name'), str):
        raise SkipSample('malformed_annotation',
                         f'{image.where}: missing or non-string file_name')
    return entry['file_name']


def _set_filter(images: List[TextImage], sets: Optional[Sequence[str]],
                ann_file: PathLike) -> Callable[[TextImage], bool]:
    """Whether an image's COCO-Text ``set`` is kept.

    Raises:
        DataError: If ``sets`` is given but no image has a ``set``.
    """
    if sets is None:
        return lambda image: True
    wanted = set(sets)
    if not any(image.set is not None for image in images):
        raise DataError(f'{ann_file}: no image has a "set" field, so the '
                        f'images cannot be selected by set {sorted(wanted)}')
    return lambda image: image.set in wanted


def _select(images: List[TextImage], keep: Callable[[TextImage], bool],
            label_dir: Optional[PathLike],
            ann_file: PathLike) -> Tuple[List[CocoKey], List[str]]:
    """The images to convert and the label maps without image entry."""
    if label_dir is None:
        return [(image, None) for image in images if keep(image)], []
    by_stem = {}
    for image in images:
        try:
            by_stem.setdefault(PurePosixPath(_file_name(image)).stem, image)
        except SkipSample:
            continue
    keys, unmatched = [], []
    for stem, label in find_label_maps(Path(label_dir)).items():
        image = by_stem.get(stem)
        if image is None:
            unmatched.append(f'{label}: label map without an image entry '
                             f'{stem}.* in {ann_file}')
        elif keep(image):
            keys.append((image, label))
    return keys, unmatched


def convert_coco_ts(ann_file: PathLike,
                    img_dir: PathLike,
                    out_root: PathLike,
                    split: str = 'train',
                    *,
                    label_dir: Optional[PathLike] = None,
                    sets: Optional[Sequence[str]] = None,
                    polygon_masks: bool = True,
                    fill_ignored: bool = False,
                    strict: bool = False,
                    progress: bool = True) -> TextSegReport:
    """Convert COCO-Text v2 / COCO-TS words (see the module docstring).

    Args:
        ann_file (str or PathLike): ``cocotext.v2.json`` or a COCO JSON.
        img_dir (str or PathLike): Directory ``file_name`` is relative to
            (MSCOCO ``train2014`` for COCO-Text).
        out_root (str or PathLike): Dataset root of the output.
        split (str): Output split name. Defaults to 'train'.
        label_dir (str or PathLike, optional): COCO-TS label maps; only
            the images that have one are converted.
        sets (Sequence[str], optional): COCO-Text ``set`` values kept
            (``'train'``, ``'val'``). Defaults to all.
        polygon_masks (bool): Write polygon masks. Defaults to True.
        fill_ignored (bool): Fill illegible words as text instead of 127.
            Defaults to False.
        strict (bool): Raise a ``DataError`` on the first problem.
            Defaults to False.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        TextSegReport: Counters and skipped items.

    Raises:
        FileNotFoundError: If ``img_dir`` or ``label_dir`` does not exist.
        DataError: On an unreadable JSON, in strict mode, or if nothing
            could be converted.
    """
    img_dir = check_dir(img_dir, 'image directory')
    images, problems = load_text_json(ann_file)
    keys, unmatched = _select(images, _set_filter(images, sets, ann_file),
                              label_dir, ann_file)
    if strict and (problems or unmatched):
        raise DataError((problems or unmatched)[0])
    names: Set[str] = set()

    def load(key: CocoKey, report: TextSegReport) -> SegSample:
        image, label = key
        file_name = _file_name(image)
        try:
            name = _sample_name(file_name)
        except ValueError as e:
            raise SkipSample('malformed_annotation',
                             f'{image.where}: {e}') from None
        img_path = img_dir / file_name
        if name in names:
            raise SkipSample(
                'malformed_annotation',
                f'{img_path}: another image of {ann_file} has the same '
                f'name {name!r}')
        img_hw = image_hw(img_path)
        _check_size(image, img_path, img_hw)
        if label is not None:
            check_label_map(label, img_path, img_hw)
        words = []
        for ann in image.anns:
            try:
                words.extend(coco_words(ann))
            except ValueError as e:
                report.count(
                    'malformed_annotation',
                    f'{image.where}, annotation {ann.get("id")}: {e}')
        instances = build_instances(words, f'{image.where} ({img_path})',
                                    report)
        names.add(name)
        return SegSample(
            img_path,
            name,
            instances)

    report = convert_samples(
        keys,
        load,
        out_root,
        split,
        polygon_masks=polygon_masks,
        fill_ignored=fill_ignored,
        strict=strict,
        progress=progress)
    for message in problems:
        report.count('malformed_annotation', message)
    for message in unmatched:
        report.count('missing_gt', message)
    return report


def _check_size(image: TextImage, img_path: Path, img_hw: Tuple[int,
                                                                int]) -> None:
    """Skip an image whose annotated size differs from the file's.

    Args:
        image (TextImage): The image entry.
        img_path (Path): Its file.
        img_hw (tuple[int, int]): The file's ``(h, w)``.

    Raises:
        SkipSample: ``image_size_mismatch``.
    """
    height, width = img_hw
    entry = image.entry
    if (entry.get('height', height), entry.get('width', width)) != img_hw:
        raise SkipSample(
            'image_size_mismatch',
            f'{img_path}: size {width}x{height} differs from the '
            f'{entry.get("width")}x{entry.get("height")} given in '
            f'{image.where}')


__all__ = ['coco_words', 'convert_coco_ts']
