# Copyright (c) mmtextknow contributors. All rights reserved.
"""ICDAR 2017 MLT (RRC-MLT, task 1) localisation ground truth to MMOCR JSON.

Release layout (``{root}`` holds the unpacked zips of the challenge's
download page, names as listed there and in MindOCR's
``docs/en/datasets/mlt2017.md``):

- training: images in ``ch8_training_images_{1..8}/`` (7,200 images in
  8 zips), ground truth in
  ``ch8_training_localization_transcription_gt_v2/``;
- validation: images in ``ch8_validation_images/`` (1,800), ground truth
  in ``ch8_validation_localization_transcription_gt_v2/``.
  (The 9,000 test images have no public ground truth: results on the test
  set come from the challenge's server.)

The gt file of ``img_{N}.jpg`` is ``gt_img_{N}.txt``; each line is (the
format of the task page, as quoted in MindOCR's converter)::

    x1,y1,x2,y2,x3,y3,x4,y4,script,transcription

the four corners (clockwise), the script (``Arabic``, ``Latin``,
``Chinese``, ``Japanese``, ``Korean``, ``Bangla``, ``Symbols``, ``Mixed``
or ``None``), which is not part of the text, and the transcription:
everything after the ninth comma, commas included. ``###`` is "don't
care" (``ignore: True``; such lines have the script ``None``). Files are
read as ``utf-8-sig`` (BOM dropped), CRLF / LF and blank lines accepted.

A few MLT 2017 images are GIFs, which OpenCV (MMOCR's image loading)
cannot read: their first frame is written as a PNG
(:func:`gif_to_png`) and that PNG is the item's image. Everything else
follows :func:`~mmtextknow.datasets.converters.convert_icdar_txt` and its
:data:`~mmtextknow.datasets.converters.BAD_INPUT_RULES`.
"""
from functools import partial
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from PIL import Image

from mmtextknow.utils import DataError
from .icdar_txt import (ConversionReport, PathLike, convert_icdar_txt,
                        list_images, parse_icdar_line)
from .icdar_txt import _check_dir as check_dir

#: gt file name of image ``{stem}`` in MLT 2017.
MLT_GT_FMT = 'gt_{stem}.txt'

#: subset -> (image folder glob, gt folder) under the release root.
MLT2017_FOLDERS: Dict[str, Tuple[str, str]] = {
    'training': ('ch8_training_images_*',
                 'ch8_training_localization_transcription_gt_v2'),
    'validation': ('ch8_validation_images',
                   'ch8_validation_localization_transcription_gt_v2'),
}

#: subset -> the JSON file :func:`convert_icdar2017_mlt` writes by default,
#: the ``ann_file`` of ``configs/_base_/datasets/icdar2017_mlt.py``.
MLT2017_JSON = {'training': 'textdet_train.json',
                'validation': 'textdet_val.json'}

#: One MLT 2017 gt line -> ``(flat polygon, transcription, ignore)``.
parse_mlt_line = partial(parse_icdar_line, num_points=4, extra_fields=1)


def mlt2017_dirs(root: PathLike, subset: str) -> Tuple[List[Path], Path]:
    """The image folders and the gt folder of one MLT 2017 subset.

    Args:
        root (str or PathLike): Folder holding the unpacked zips.
        subset (str): ``'training'`` or ``'validation'``.

    Returns:
        tuple[list[Path], Path]: The image folders (sorted) and the gt
        folder.

    Raises:
        ValueError: On an unknown subset.
        FileNotFoundError: If a folder of the layout is missing.
    """
    if subset not in MLT2017_FOLDERS:
        raise ValueError(f'unknown MLT 2017 subset {subset!r}; expected one '
                         f'of {sorted(MLT2017_FOLDERS)}')
    root = check_dir(root, 'MLT 2017 root directory')
    img_glob, gt_name = MLT2017_FOLDERS[subset]
    img_dirs = sorted(p for p in root.glob(img_glob) if p.is_dir())
    if not img_dirs:
        raise FileNotFoundError(
            f'image directory not found: {root / img_glob}')
    return img_dirs, check_dir(root / gt_name, 'gt directory')


def gif_to_png(gif: Path, png: Path) -> Path:
    """Write the first frame of a GIF as an RGB PNG.

    Args:
        gif (Path): The GIF image.
        png (Path): Where to write the PNG (parents created).

    Returns:
        Path: ``png``.

    Raises:
        DataError: If the GIF cannot be decoded, naming it.
    """
    try:
        with Image.open(gif) as img:
            img.seek(0)
            frame = img.convert('RGB')
    except Exception as e:  # noqa: BLE001 (Pillow raises many types)
        raise DataError(f'{gif}: cannot decode GIF image '
                        f'({type(e).__name__}: {e})') from None
    png.parent.mkdir(parents=True, exist_ok=True)
    frame.save(png, format='PNG')
    return png


def convert_gifs(img_dirs: List[Path], out_dir: Path) -> Optional[Path]:
    """Write the first frame of every GIF of ``img_dirs`` as a PNG.

    GIFs whose name (without extension) another image already has are
    left alone.

    Args:
        img_dirs (list[Path]): The image folders.
        out_dir (Path): Where the PNGs go (``{stem}.png``).

    Returns:
        Path or None: ``out_dir`` when it received a PNG, else None.

    Raises:
        DataError: If a GIF cannot be decoded, naming it.
    """
    stems = {p.stem for d in img_dirs for p in list_images(d)}
    written = False
    for img_dir in img_dirs:
        for gif in sorted(img_dir.iterdir()):
            if gif.suffix.lower() == '.gif' and gif.stem not in stems:
                gif_to_png(gif, out_dir / f'{gif.stem}.png')
                stems.add(gif.stem)
                written = True
    return out_dir if written else None


def convert_icdar2017_mlt(root: PathLike,
                          subset: str,
                          out_json: Optional[PathLike] = None,
                          *,
                          img_root: Optional[PathLike] = None,
                          strict: bool = False,
                          skip_invalid: bool = False,
                          progress: bool = True) -> ConversionReport:
    """Convert one MLT 2017 subset to an MMOCR text detection JSON.

    See the module docstring for the layout and the line format.

    Args:
        root (str or PathLike): Folder holding the unpacked zips.
        subset (str): ``'training'`` or ``'validation'``.
        out_json (str or PathLike, optional): Output JSON. Defaults to
            ``root / MLT2017_JSON[subset]``.
        img_root (str or PathLike, optional): ``img_path`` is written
            relative to it (the config's ``data_root``). Defaults to the
            directory of ``out_json``.
        strict (bool): Raise instead of skipping images that are missing,
            corrupt or have no gt file. Defaults to False.
        skip_invalid (bool): Skip and count malformed gt lines instead of
            raising. Defaults to False.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        ConversionReport: Counters and skipped paths.

    Raises:
        ValueError: On an unknown subset.
        FileNotFoundError: If a folder of the layout is missing.
        DataError: On bad input (see
            :data:`~mmtextknow.datasets.converters.BAD_INPUT_RULES`) or an
            undecodable GIF.
    """
    img_dirs, gt_dir = mlt2017_dirs(root, subset)
    out_json = Path(out_json) if out_json is not None else \
        Path(root) / MLT2017_JSON[subset]
    gif_dir = convert_gifs(img_dirs,
                           out_json.parent / 'gif_frames' / subset)
    if gif_dir is not None:
        img_dirs.append(gif_dir)
    return convert_icdar_txt(
        img_dirs,
        gt_dir,
        out_json,
        gt_name_fmt=MLT_GT_FMT,
        img_root=img_root,
        strict=strict,
        skip_invalid=skip_invalid,
        line_parser=parse_mlt_line,
        progress=progress)


__all__ = [
    'MLT2017_FOLDERS', 'MLT2017_JSON', 'MLT_GT_FMT', 'convert_gifs',
    'convert_icdar2017_mlt', 'gif_to_png', 'mlt2017_dirs', 'parse_mlt_line'
]
