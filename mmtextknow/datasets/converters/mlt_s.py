# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert MLT-S (ICDAR MLT 2017 images with MLT-S label maps) to our JSON.

MLT-S is released as label maps only; MGNet (TIP 2021, Sec. IV-A) uses
MLT-S for its "polygon-level masks" and discards the machine-made pixel
masks, so the words and polygons are read from the ICDAR MLT 2017
localisation ground truth of the same images (the boxes the label maps
were generated from; see :mod:`~mmtextknow.datasets.converters.coco_ts`
for the same choice on COCO-TS). Items get word ``instances`` and a
polygon mask (255 cared, 127 ``###``), never a ``pixel_mask_path``.

Release layout (``{root}`` holds the unpacked zips):

- ``MLT_S_labels/training_labels/{stem}.png`` and
  ``MLT_S_labels/validation_labels/{stem}.png``: VERIFIED from TexRNet's
  ``lib/data_factory/ds_mlt.py`` (SHI-Labs/Rethinking-Text-Segmentation);
  6,896 maps, 5,540 training and 1,356 validation, values 0 / 1 / 255
  uncertain, named after the MLT image (authors' page,
  SimoneBonechi/SimoneBonechi.github.io ``_downloads_text/mlt_s.md``).
- Images ``ch8_training_images_{1..8}/{stem}.{jpg,png}`` and
  ``ch8_validation_images/``; ground truth
  ``ch8_training_localization_transcription_gt_v2/gt_{stem}.txt`` and
  ``ch8_validation_localization_transcription_gt_v2/``: the names
  TexRNet reads. Both subsets name their images ``img_{N}`` (TexRNet
  prefixes its ids with ``00_train_`` / ``01_val_`` to keep them apart),
  so each subset keeps its own folders and its sample names are
  prefixed with the subset (``training/img_1``).
- Images are ``.jpg`` / ``.jpeg`` / ``.png`` / ``.bmp`` and, in MLT 2017,
  a few ``.gif`` (MindOCR's ``tools/dataset_converters/mlt2017.py``
  converts them too): the first frame of a GIF is written as
  ``{out_root}/images/{split}/{name}.png`` and that PNG is the item's
  image (OpenCV, which MMOCR's image loading uses, reads no GIF). A GIF
  that cannot be decoded is a counted corrupt image.

Ground-truth lines (:func:`~mmtextknow.datasets.converters.icdar2017_mlt.
parse_mlt_line`, shared with the MLT 2017 detection converter; the format
of the MLT 2017 task page, as quoted in MindOCR's converter)::

    x1,y1,x2,y2,x3,y3,x4,y4,script,transcription

eight coordinates (the four corners, clockwise), the script (``Arabic``,
``Latin``, ``Chinese``, ``Japanese``, ``Korean``, ``Bangla``,
``Symbols``, ``Mixed``, ``None``) and the transcription, which is
everything after the ninth comma (it may contain commas). ``###`` is
"don't care" (``ignore: True``). Files are read as ``utf-8-sig`` (BOM
dropped), CRLF / LF and blank lines accepted.

Only the images that have a label map are converted. A label map
without image or without gt file, an unreadable gt file, a malformed
line, a degenerate polygon, a label map that cannot be opened or has
another size than its image: counted in the :class:`TextSegReport`
(``strict`` raises on the first).
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from mmtextknow.utils import DataError
from .icdar2017_mlt import (MLT2017_FOLDERS, MLT_GT_FMT, gif_to_png,
                            parse_mlt_line)
from .icdar_txt import _check_dir as check_dir
from .label_maps import check_label_map, find_label_maps
from .paired_layout import image_map
from .textseg import (PathLike, SegSample, SkipSample, TextSegReport, Word,
                      build_instances, convert_samples, image_hw,
                      parse_records, read_gt_text)

@dataclass(frozen=True)
class MltSSubset:
    """One subset of MLT-S: label maps, images and gt files.

    Attributes:
        name (str): Prefix of its sample names, e.g. ``'training'``.
        label_dir (Path): Its MLT-S label maps.
        img_dirs (tuple[Path, ...]): Its MLT 2017 image folders.
        gt_dir (Path): Its MLT 2017 gt files (``gt_{stem}.txt``).
    """
    name: str
    label_dir: Path
    img_dirs: Tuple[Path, ...]
    gt_dir: Path


#: subset -> (label folder, image folder glob, gt folder) under the root.
MLT_S_LAYOUT: Dict[str, Tuple[str, str, str]] = {
    name: (f'MLT_S_labels/{name}_labels', ) + MLT2017_FOLDERS[name]
    for name in ('training', 'validation')
}


def mlt_s_subsets(
    root: PathLike, names: Sequence[str] = ('training', 'validation')
) -> List[MltSSubset]:
    """The subsets of an unpacked MLT 2017 + MLT-S release.

    Args:
        root (str or PathLike): Folder holding the unpacked zips.
        names (Sequence[str]): Keys of :data:`MLT_S_LAYOUT`.
            Defaults to both.

    Returns:
        list[MltSSubset]: One per name.

    Raises:
        ValueError: On an unknown subset name.
        FileNotFoundError: If a folder of the layout is missing.
    """
    root = check_dir(root, 'MLT root directory')
    subsets = []
    for name in names:
        if name not in MLT_S_LAYOUT:
            raise ValueError(f'unknown MLT-S subset {name!r}; expected one '
                             f'of {sorted(MLT_S_LAYOUT)}')
        labels, img_glob, gt = MLT_S_LAYOUT[name]
        img_dirs = tuple(sorted(p for p in root.glob(img_glob) if p.is_dir()))
        if not img_dirs:
            raise FileNotFoundError(
                f'image directory not found: {root / img_glob}')
        subsets.append(
            MltSSubset(name, check_dir(root / labels, 'label map directory'),
                       img_dirs, check_dir(root / gt, 'gt directory')))
    return subsets


def parse_mlt_gt(path: Path) -> Tuple[List[Word], List[str]]:
    """Parse an MLT 2017 gt file.

    Args:
        path (Path): ``gt_{stem}.txt``.

    Returns:
        tuple[list, list[str]]: The words and one message per malformed
        line.

    Raises:
        SkipSample: ``bad_gt_file`` if it is not UTF-8 text.
    """
    lines = [(n, line)
             for n, line in enumerate(read_gt_text(path).split('\n'), start=1)
             if line.strip()]
    return parse_records(path, lines, parse_mlt_line)


def _subset_keys(
        subset: MltSSubset
) -> List[Tuple[MltSSubset, str, Path, Optional[Path]]]:
    """``(subset, stem, label map, image or None)`` per label map."""
    images: Dict[str, Path] = {}
    gifs: Dict[str, Path] = {}
    for img_dir in subset.img_dirs:
        for stem, path in image_map(check_dir(img_dir,
                                              'image directory')).items():
            images.setdefault(stem, path)
        for path in sorted(img_dir.iterdir()):
            if path.suffix.lower() == '.gif':
                gifs.setdefault(path.stem, path)
    for stem, path in gifs.items():
        images.setdefault(stem, path)
    return [(subset, stem, label, images.get(stem))
            for stem, label in find_label_maps(subset.label_dir).items()]


def convert_mlt_s(subsets: Sequence[MltSSubset],
                  out_root: PathLike,
                  split: str = 'train',
                  *,
                  polygon_masks: bool = True,
                  fill_ignored: bool = False,
                  strict: bool = False,
                  progress: bool = True) -> TextSegReport:
    """Convert MLT-S subsets into one split (see the module docstring).

    Args:
        subsets (Sequence[MltSSubset]): e.g. :func:`mlt_s_subsets`.
        out_root (str or PathLike): Dataset root of the output.
        split (str): Output split name. Defaults to 'train' (MGNet trains
            on all 6,896 images).
        polygon_masks (bool): Write polygon masks. Defaults to True.
        fill_ignored (bool): Fill ``###`` words as text instead of 127.
            Defaults to False.
        strict (bool): Raise a ``DataError`` on the first problem.
            Defaults to False.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        TextSegReport: Counters and skipped items.

    Raises:
        FileNotFoundError: If a folder does not exist.
        ValueError: If two subsets have the same name.
        DataError: In strict mode, or if nothing could be converted.
    """
    if len({s.name for s in subsets}) != len(subsets):
        raise ValueError('MLT-S subsets need distinct names')
    keys = [key for subset in subsets for key in _subset_keys(subset)]

    def load(key, report: TextSegReport) -> SegSample:
        subset, stem, label, img_path = key
        if img_path is None:
            raise SkipSample(
                'missing_image', f'{subset.img_dirs[0] / stem}.*: image of '
                f'label map {label} not found in '
                f'{", ".join(map(str, subset.img_dirs))}')
        gt_path = subset.gt_dir / MLT_GT_FMT.format(stem=stem)
        if not gt_path.is_file():
            raise SkipSample(
                'missing_gt',
                f'{gt_path}: gt file of {img_path} (label map {label}) '
                'not found')
        name = f'{subset.name}/{stem}'
        if img_path.suffix.lower() == '.gif':
            try:
                img_path = gif_to_png(
                    img_path,
                    Path(out_root) / f'images/{split}/{name}.png')
            except DataError as e:
                raise SkipSample('corrupt_image', str(e)) from None
        img_hw = image_hw(img_path)
        check_label_map(label, img_path, img_hw)
        words, errors = parse_mlt_gt(gt_path)
        for message in errors:
            report.count('malformed_annotation', message)
        instances = build_instances(words, str(gt_path), report)
        return SegSample(
            img_path,
            name,
            instances)

    return convert_samples(
        keys,
        load,
        out_root,
        split,
        polygon_masks=polygon_masks,
        fill_ignored=fill_ignored,
        strict=strict,
        progress=progress)


__all__ = [
    'MLT_S_LAYOUT', 'MltSSubset', 'convert_mlt_s', 'mlt_s_subsets',
    'parse_mlt_gt'
]
