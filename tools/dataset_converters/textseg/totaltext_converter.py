# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert TotalText (pixel + polygon ground truth) to segmentation JSON.

The polygon files may be the ``Txt_format`` release (``poly_gt_*.txt``)
or the ``.mat`` ground truth (``Groundtruth/Polygon/{Train,Test}/
poly_gt_*.mat``, needs scipy). Polygon masks: 255 cared words, 127 don't
care (``#``). See ``mmtextknow/datasets/converters/totaltext_seg.py``.

Examples::

    python tools/dataset_converters/textseg/totaltext_converter.py \\
        data/totaltext/Images/Test data/totaltext/Txt_format/Test \\
        data/totaltext/groundtruth_pixel/Test data/totaltext --split test
    python tools/dataset_converters/textseg/totaltext_converter.py \\
        data/totaltext/Images/Train \\
        data/totaltext/Groundtruth/Polygon/Train \\
        data/totaltext/groundtruth_pixel/Train data/totaltext --split train
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import argparse
from functools import partial
from typing import List, Optional

from tools.dataset_converters.textseg.textseg_cli import (
    add_paired_arguments, paired_kwargs)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Convert a TotalText split (images, Txt_format .txt or '
        'Groundtruth/Polygon .mat polygon files, groundtruth_pixel masks) '
        'to a text segmentation JSON with pixel and polygon mask PNGs.')
    add_paired_arguments(
        parser,
        ('images, e.g. Images/Test', 'polygon .txt or .mat files, e.g. '
         'Txt_format/Test or Groundtruth/Polygon/Test',
         'pixel masks, e.g. groundtruth_pixel/Test'),
        default_split='test')
    parser.add_argument(
        '--threshold',
        type=int,
        default=127,
        help='mask luma above which a pixel is text; default: %(default)s')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters.textseg import run_conversion
from mmtextknow.datasets.converters.totaltext_seg import convert_totaltext
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Convert and print the report; ``argv`` defaults to sys.argv[1:]."""
    args = parse_args(argv)
    run_conversion(
        partial(
            convert_totaltext, threshold=args.threshold,
            **paired_kwargs(args)))


if __name__ == '__main__':
    run_cli(main)
