# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert COCO-TS / MLT-S word polygons to segmentation JSON.

Their pixel masks are machine-made and MGNet ignores them, so only the
polygons are converted: items get ``instances`` and a ``polygon_mask_path``
rendered from the polygons, never a ``pixel_mask_path``.

On-disk format relied upon (a COCO-style JSON; ASSUMPTION: the polygons of
both datasets are distributed or converted this way):

- ``images``: list of ``{"id", "file_name", "height"?, "width"?}``;
  ``file_name`` is relative to the image directory. When ``height`` /
  ``width`` are given they must match the image file, else the image is a
  counted skip naming the image and the JSON.
- ``annotations``: list of ``{"image_id", "segmentation", "utf8_string"?,
  "iscrowd"?, "legibility"?}``. ``segmentation`` is a list of flat
  polygons ``[[x1, y1, x2, y2, ...], ...]`` (a single flat polygon is
  accepted too, and COCO-Text's ``mask`` key is used when
  ``segmentation`` is absent); each polygon becomes one instance. An RLE
  ``segmentation`` (a dict) or non-numeric coordinates are counted as
  malformed annotations. The transcript is ``utf8_string`` (else
  ``text``, else ``''``). ``ignore`` is True when ``iscrowd`` is truthy or
  ``legibility == 'illegible'`` (COCO-Text).
- Images without annotation are kept with no instance (and no polygon
  mask); annotations of an unknown ``image_id`` are counted as malformed.

A JSON that cannot be read or lacks the two lists raises a ``DataError``
naming it.
"""
import math
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List, Tuple

from mmtextknow.utils import DataError
from .icdar_txt import _check_dir as check_dir
from .textseg import (PathLike, SegSample, SkipSample, TextSegReport, Word,
                      build_instances, convert_samples, image_hw,
                      load_json_object)


def load_coco_json(ann_file: PathLike) -> Tuple[List[dict], List[dict]]:
    """Read the ``images`` and ``annotations`` of a COCO-style JSON.

    Args:
        ann_file (str or PathLike): The JSON file.

    Returns:
        tuple[list[dict], list[dict]]: Images and annotations.

    Raises:
        DataError: If the file cannot be read or lacks the two lists.
    """
    content = load_json_object(ann_file, 'COCO JSON')
    if not all(
            isinstance(content.get(k), list)
            for k in ('images', 'annotations')):
        raise DataError(f'{ann_file}: expected a JSON object with "images" '
                        'and "annotations" lists (COCO format)')
    return content['images'], content['annotations']


def _is_number(value: Any) -> bool:
    """Whether ``value`` is a finite JSON number (not a bool)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def coco_words(ann: dict) -> List[Word]:
    """The words of one COCO annotation (one per polygon).

    Args:
        ann (dict): The annotation.

    Returns:
        list: ``(flat polygon, text, ignore)`` per polygon.

    Raises:
        ValueError: If the segmentation is not a list of numeric polygons.
    """
    seg = ann.get('segmentation', ann.get('mask'))
    if isinstance(seg, dict):
        raise ValueError('RLE segmentation is not supported')
    if isinstance(seg, list) and seg and all(_is_number(v) for v in seg):
        seg = [seg]
    if not isinstance(seg, list) or not seg or not all(
            isinstance(p, list) and all(_is_number(v) for v in p)
            for p in seg):
        raise ValueError('segmentation is not a list of numeric polygons')
    text = ann.get('utf8_string', ann.get('text')) or ''
    ignore = bool(ann.get('iscrowd')) or ann.get('legibility') == 'illegible'
    return [([float(v) for v in poly], str(text), ignore) for poly in seg]


def _sample_name(file_name: str) -> str:
    """Mask name of an image: its file name without extension.

    Args:
        file_name (str): ``file_name`` of the COCO image.

    Returns:
        str: e.g. ``'train2014/COCO_train2014_000000000009'``.

    Raises:
        ValueError: For an absolute path or one with ``..``.
    """
    path = PurePosixPath(file_name.replace('\\', '/'))
    if path.is_absolute() or '..' in path.parts or not path.stem:
        raise ValueError(f'unsafe file_name {file_name!r}')
    return path.with_suffix('').as_posix()


def convert_coco_ts(ann_file: PathLike,
                    img_dir: PathLike,
                    out_root: PathLike,
                    split: str = 'train',
                    **kwargs) -> TextSegReport:
    """Convert the polygons of a COCO-style JSON (COCO-TS, MLT-S).

    Args:
        ann_file (str or PathLike): The COCO-style JSON.
        img_dir (str or PathLike): Directory ``file_name`` is relative to.
        out_root (str or PathLike): Dataset root of the output.
        split (str): Split name. Defaults to 'train'.
        **kwargs: ``polygon_masks``, ``fill_ignored``, ``strict`` of
            :func:`~mmtextknow.datasets.converters.textseg.convert_samples`.

    Returns:
        TextSegReport: Counters and skipped items.

    Raises:
        FileNotFoundError: If ``img_dir`` does not exist.
        DataError: On an unreadable JSON, in strict mode, or if nothing
            could be converted.
    """
    img_dir = check_dir(img_dir, 'image directory')
    images, anns = load_coco_json(ann_file)
    images = [img for img in images if isinstance(img, dict)]
    by_image = _group_annotations(anns)
    orphans = [
        f'{ann_file}, annotation {ann.get("id")}: unknown image_id '
        f'{image_id!r}' for image_id in set(by_image) -
        {_hashable(img.get('id'))
         for img in images} for ann in by_image[image_id]
    ]
    if orphans and kwargs.get('strict'):
        raise DataError(orphans[0])

    def load(index: int, report: TextSegReport) -> SegSample:
        image = images[index]
        where = f'{ann_file}, images[{index}]'
        try:
            name = _sample_name(image['file_name'])
        except (KeyError, AttributeError, ValueError) as e:
            raise SkipSample('malformed_annotation',
                             f'{where}: bad or missing file_name ({e!r})') \
                from None
        img_path = img_dir / image['file_name']
        _check_size(image, img_path, ann_file)
        words = []
        for ann in by_image.get(_hashable(image.get('id')), []):
            try:
                words.extend(coco_words(ann))
            except ValueError as e:
                report.count('malformed_annotation',
                             f'{ann_file}, annotation {ann.get("id")}: {e}')
        return SegSample(
            img_path, name,
            build_instances(words, f'{where} ({img_path})', report))

    report = convert_samples(
        range(len(images)), load, out_root, split, **kwargs)
    for message in orphans:
        report.count('malformed_annotation', message)
    return report


def _hashable(value: Any) -> Any:
    """``value`` if it can be a dict key (a JSON id), else its repr."""
    return value if isinstance(value, (int, float, str, type(None))) \
        else repr(value)


def _group_annotations(anns: List[Any]) -> Dict[Any, List[dict]]:
    """Annotations by ``image_id`` (non-objects are dropped).

    Args:
        anns (list): The ``annotations`` list.

    Returns:
        dict: image id -> its annotations, in file order.
    """
    by_image: Dict[Any, List[dict]] = defaultdict(list)
    for ann in anns:
        if isinstance(ann, dict):
            by_image[_hashable(ann.get('image_id'))].append(ann)
    return by_image


def _check_size(image: dict, img_path: Path, ann_file: PathLike) -> None:
    """Skip an image whose annotated size differs from the file's.

    Args:
        image (dict): The COCO image entry.
        img_path (Path): Its file.
        ann_file (str or PathLike): The JSON, for the message.

    Raises:
        SkipSample: ``image_size_mismatch`` (or the image's own skips).
    """
    if 'height' not in image and 'width' not in image:
        return
    height, width = image_hw(img_path)
    if (image.get('height', height), image.get('width',
                                               width)) != (height, width):
        raise SkipSample(
            'image_size_mismatch',
            f'{img_path}: size {width}x{height} differs from the '
            f'{image.get("width")}x{image.get("height")} given in {ann_file}')


__all__ = ['coco_words', 'convert_coco_ts', 'load_coco_json']
