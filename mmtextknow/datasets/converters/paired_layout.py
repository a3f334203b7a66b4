# Copyright (c) mmtextknow contributors. All rights reserved.
"""Sources that store one annotation file and one pixel label per image.

TotalText, ICDAR 2013 and TextSeg keep, for an image ``{stem}.jpg`` in an
image directory, a word annotation file and a pixel-level label image in
two other directories, named after the image by a format with one
``{stem}`` field (e.g. ``poly_gt_{stem}.txt``, ``gt_{stem}.png``). A
:class:`PairedLayout` says how a source names and reads those files;
:func:`convert_paired_dirs` pairs the files by stem and converts them
with :func:`~mmtextknow.datasets.converters.textseg.convert_samples`.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .icdar_txt import _check_dir as check_dir
from .icdar_txt import list_images
from .textseg import (PathLike, PixelRule, SegSample, SkipSample,
                      TextSegReport, Word, build_instances, convert_samples)


@dataclass(frozen=True)
class PairedLayout:
    """How a source names and reads its per-image files.

    Attributes:
        gt_name_fmts (tuple[str, ...]): Annotation file names tried, in
            order, each with one ``{stem}``.
        pixel_name_fmts (tuple[str, ...]): Pixel label file names tried.
        parse_gt (callable): Annotation file -> ``(words, messages)``, one
            message per malformed record; raises
            :class:`~mmtextknow.datasets.converters.textseg.SkipSample` for
            an unreadable file.
        pixel_rule (callable): Label image -> text mask (boolean, or file
            values: :func:`~mmtextknow.datasets.converters.textseg.
            to_file_values`).
    """
    gt_name_fmts: Tuple[str, ...]
    pixel_name_fmts: Tuple[str, ...]
    parse_gt: Callable[[Path], Tuple[List[Word], List[str]]]
    pixel_rule: PixelRule


def check_name_fmt(fmt: str) -> Tuple[str, str]:
    """Split a file name format with exactly one ``{stem}`` field.

    Args:
        fmt (str): e.g. ``'gt_{stem}.txt'``.

    Returns:
        tuple[str, str]: The text before and after ``{stem}``.

    Raises:
        ValueError: If ``fmt`` does not contain ``{stem}`` exactly once.
    """
    parts = fmt.split('{stem}')
    if len(parts) != 2 or '/' in fmt:
        raise ValueError(f'invalid file name format {fmt!r}: it must contain '
                         '{stem} (the image name without extension) exactly '
                         'once and no "/"')
    return parts[0], parts[1]


def stems_in_dir(directory: Path, fmts: Sequence[str]) -> List[str]:
    """Image stems of the files of ``directory`` named after ``fmts``.

    Args:
        directory (Path): e.g. a ground-truth directory.
        fmts (Sequence[str]): File name formats with one ``{stem}``.

    Returns:
        list[str]: The stems, sorted, without duplicates.
    """
    stems = set()
    names = [p.name for p in directory.iterdir() if p.is_file()]
    for prefix, suffix in map(check_name_fmt, fmts):
        stems.update(n[len(prefix):len(n) - len(suffix)] for n in names
                     if n.startswith(prefix) and n.endswith(suffix)
                     and len(n) > len(prefix) + len(suffix))
    return sorted(stems)


def find_named_file(directory: Path, fmts: Sequence[str], stem: str,
                    reason: str, what: str) -> Path:
    """The first existing file ``directory / fmt.format(stem=stem)``.

    Args:
        directory (Path): Where to look.
        fmts (Sequence[str]): File name formats with one ``{stem}``, tried
            in order.
        stem (str): Image name without extension.
        reason (str): Skip reason if none exists.
        what (str): What the file is, for the message.

    Returns:
        Path: The file.

    Raises:
        SkipSample: If none of the files exists.
    """
    candidates = [directory / fmt.format(stem=stem) for fmt in fmts]
    for path in candidates:
        if path.is_file():
            return path
    tried = ', '.join(p.name for p in candidates)
    raise SkipSample(
        reason, f'{candidates[0]}: {what} of image {stem!r} '
        f'not found (tried {tried} in {directory})')


def image_map(img_dir: Path) -> Dict[str, Path]:
    """The images of a directory by stem.

    Args:
        img_dir (Path): The directory (not recursive).

    Returns:
        dict[str, Path]: stem -> image file (the first by name when two
        images share a stem).
    """
    images: Dict[str, Path] = {}
    for path in list_images(img_dir):
        images.setdefault(path.stem, path)
    return images


def image_for_stem(images: Dict[str, Path], stem: str, img_dir: Path) -> Path:
    """The image of ``stem``, or a ``missing_image`` skip.

    Args:
        images (dict[str, Path]): :func:`image_map` of ``img_dir``.
        stem (str): The image stem that annotation files refer to.
        img_dir (Path): The image directory, for the message.

    Returns:
        Path: The image.

    Raises:
        SkipSample: ``missing_image`` if there is none.
    """
    if stem not in images:
        raise SkipSample('missing_image',
                         f'{img_dir / stem}.*: image not found')
    return images[stem]


def convert_paired_dirs(layout: PairedLayout,
                        img_dir: PathLike,
                        gt_dir: PathLike,
                        pixel_dir: PathLike,
                        out_root: PathLike,
                        split: str,
                        *,
                        gt_name_fmts: Optional[Sequence[str]] = None,
                        pixel_name_fmts: Optional[Sequence[str]] = None,
                        stems: Optional[Sequence[str]] = None,
                        pixel_rule_for: Optional[Callable[
                            [str, TextSegReport], PixelRule]] = None,
                        **kwargs) -> TextSegReport:
    """Convert a source with one annotation and one pixel label per image.

    The files are paired by stem: image ``{stem}.*`` in ``img_dir``,
    annotation ``fmt.format(stem=stem)`` in ``gt_dir`` (the first existing
    of the formats), pixel label likewise in ``pixel_dir``. Without
    ``stems``, every stem of an image, an annotation or a label is
    converted, so a file whose partner is missing is a counted skip.

    Args:
        layout (PairedLayout): The source's names and readers.
        img_dir (str or PathLike): The images.
        gt_dir (str or PathLike): The word annotation files.
        pixel_dir (str or PathLike): The pixel-level label images.
        out_root (str or PathLike): Dataset root of the output.
        split (str): Split name.
        gt_name_fmts (Sequence[str], optional): Overrides
            ``layout.gt_name_fmts``.
        pixel_name_fmts (Sequence[str], optional): Overrides
            ``layout.pixel_name_fmts``.
        stems (Sequence[str], optional): Convert only these stems.
        pixel_rule_for (callable, optional): ``(stem, report) -> rule``, a
            pixel rule per image (e.g. one that reads the image's character
            list) used instead of ``layout.pixel_rule``; it may raise
            :class:`SkipSample`.
        **kwargs: ``polygon_masks``, ``fill_ignored``, ``strict`` of
            :func:`~mmtextknow.datasets.converters.textseg.convert_samples`.

    Returns:
        TextSegReport: Counters and skipped items.

    Raises:
        FileNotFoundError: If an input directory does not exist.
        DataError: In strict mode, or if nothing could be converted.
        ValueError: On an invalid name format or split.
    """
    img_dir = check_dir(img_dir, 'image directory')
    gt_dir = check_dir(gt_dir, 'annotation directory')
    pixel_dir = check_dir(pixel_dir, 'pixel gt directory')
    gt_fmts = tuple(gt_name_fmts or layout.gt_name_fmts)
    pixel_fmts = tuple(pixel_name_fmts or layout.pixel_name_fmts)
    images = image_map(img_dir)
    if stems is None:
        stems = sorted(
            set(images) | set(stems_in_dir(gt_dir, gt_fmts))
            | set(stems_in_dir(pixel_dir, pixel_fmts)))

    def load(stem: str, report: TextSegReport) -> SegSample:
        img_path = image_for_stem(images, stem, img_dir)
        gt_path = find_named_file(gt_dir, gt_fmts, stem, 'missing_gt',
                                  'annotation file')
        mask_file = find_named_file(pixel_dir, pixel_fmts, stem,
                                    'missing_pixel_mask', 'pixel gt')
        words, errors = layout.parse_gt(gt_path)
        rule = (
            layout.pixel_rule
            if pixel_rule_for is None else pixel_rule_for(stem, report))
        for message in errors:
            report.count('malformed_annotation', message)
        return SegSample(img_path, stem,
                         build_instances(words, str(gt_path), report),
                         mask_file, rule)

    return convert_samples(stems, load, out_root, split, **kwargs)
