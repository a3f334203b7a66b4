# Copyright (c) mmtextknow contributors. All rights reserved.
"""MSRA-TD500 and HUST-TR400 ``.gt`` ground truth to MMOCR JSON.

Both datasets keep each image and its ground truth side by side
(MSRA-TD500: ``train/IMG_0059.JPG`` + ``train/IMG_0059.gt``, the same in
``test/``; HUST-TR400: one folder of ``.jpg`` + ``.gt``). Each gt line is
one text line::

    index difficulty x y w h theta

whitespace-separated: a running index, the difficulty flag (``1`` =
difficult, written as an ``ignore`` instance, as the TD500 protocol does
not count it), the top-left corner ``(x, y)``, width and height of the
horizontal box, and ``theta``, the rotation in radians about the box's
centre. The polygon is the four rotated corners (top-left, top-right,
bottom-right, bottom-left of the unrotated box), each ``p`` mapped to
``c + R(theta) (p - c)`` with ``R = [[cos, -sin], [sin, cos]]`` in image
coordinates (y down: a positive ``theta`` turns clockwise on screen), the
reading of MindOCR's ``tools/dataset_converters/td500.py``. The datasets
have no transcripts: ``text`` is ``''``.

Files are read as ``utf-8-sig`` (BOM dropped), CRLF / LF and blank lines
accepted. A line that is not 7 numbers, has a difficulty other than 0 / 1
or a non-positive width / height is malformed: a
:class:`~mmtextknow.utils.DataError` naming the file and the line, or with
``skip_invalid`` a counted skip; the other rules are those of
:data:`~mmtextknow.datasets.converters.BAD_INPUT_RULES`.
"""
import math
from typing import List, Optional, Tuple

from .icdar_txt import ConversionReport, PathLike, convert_icdar_txt

#: gt file name of image ``{stem}`` (``IMG_0059.JPG`` -> ``IMG_0059.gt``).
TD500_GT_FMT = '{stem}.gt'


def rotated_box_corners(x: float, y: float, w: float, h: float,
                        theta: float) -> List[float]:
    """Corners of a ``w x h`` box at ``(x, y)`` turned by ``theta`` about
    its centre.

    Args:
        x (float): Left of the unrotated box.
        y (float): Top of the unrotated box.
        w (float): Width.
        h (float): Height.
        theta (float): Rotation in radians (image coordinates, y down).

    Returns:
        list[float]: ``[x1, y1, ..., x4, y4]``: the turned top-left,
        top-right, bottom-right and bottom-left corners.
    """
    cx, cy = x + w / 2, y + h / 2
    cos, sin = math.cos(theta), math.sin(theta)
    corners = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2),
                   (-w / 2, h / 2)):
        corners += [cx + cos * dx - sin * dy, cy + sin * dx + cos * dy]
    return corners


def parse_td500_line(line: str) -> Tuple[List[float], str, bool]:
    """Parse one MSRA-TD500 / HUST-TR400 gt line.

    Args:
        line (str): ``index difficulty x y w h theta``.

    Returns:
        tuple[list[float], str, bool]: The flat polygon, ``''`` and
        whether the line is difficult.

    Raises:
        ValueError: If the line is malformed.
    """
    fields = line.split()
    if len(fields) != 7:
        raise ValueError('expected 7 whitespace-separated fields (index '
                         f'difficulty x y w h theta), got {len(fields)}')
    try:
        values = [float(v) for v in fields]
    except ValueError:
        raise ValueError('non-numeric field') from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError('non-finite field')
    _, difficulty, x, y, w, h, theta = values
    if difficulty not in (0, 1):
        raise ValueError(f'difficulty must be 0 or 1, got {fields[1]}')
    if w <= 0 or h <= 0:
        raise ValueError(f'non-positive box size {fields[4]} x {fields[5]}')
    return rotated_box_corners(x, y, w, h, theta), '', difficulty == 1


def convert_td500(img_dir: PathLike,
                  out_json: PathLike,
                  *,
                  img_root: Optional[PathLike] = None,
                  strict: bool = False,
                  skip_invalid: bool = False,
                  progress: bool = True) -> ConversionReport:
    """Convert a folder of images + ``.gt`` files to a detection JSON.

    Args:
        img_dir (str or PathLike): The folder (e.g. ``MSRA-TD500/train``
            or ``HUST-TR400``); the gt files lie beside the images.
        out_json (str or PathLike): Output JSON (parents created).
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
        FileNotFoundError: If ``img_dir`` does not exist.
        DataError: On bad input (see the module docstring).
    """
    return convert_icdar_txt(
        img_dir,
        img_dir,
        out_json,
        gt_name_fmt=TD500_GT_FMT,
        img_root=img_root,
        strict=strict,
        skip_invalid=skip_invalid,
        line_parser=parse_td500_line,
        progress=progress)


__all__ = [
    'TD500_GT_FMT', 'convert_td500', 'parse_td500_line', 'rotated_box_corners'
]
