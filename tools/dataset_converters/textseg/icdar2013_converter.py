# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert ICDAR 2013 pixel ground truth + word boxes to segmentation JSON.

Example::

    python tools/dataset_converters/textseg/icdar2013_converter.py \\
        data/icdar2013/imgs/test data/icdar2013/annotations/test \\
        data/icdar2013/pixel_gt/test data/icdar2013 --split test \\
        --char-dir data/icdar2013/pixel_gt/test

With ``--char-dir`` (the ``{stem}_GT.txt`` character lists of the
segmentation ground truth) don't-care characters and colours the list does
not name are written as ignore (127), TexRNet's reading.
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
        description='Convert an ICDAR 2013 split (images, gt_*.txt word '
        'boxes, segmentation gt images with non-white text on white) to a '
        'text segmentation JSON with pixel and polygon mask PNGs.')
    add_paired_arguments(
        parser,
        ('images', 'word boxes gt_{stem}.txt ("x1 y1 x2 y2 text", spaces '
         'or commas)', 'segmentation gt images (gt_{stem}.png / '
         '{stem}_GT.bmp)'),
        default_split='test')
    parser.add_argument(
        '--white-level',
        type=int,
        default=250,
        help='without --char-dir, a gt pixel is text iff one of its R, G, B '
        'values is below this; default: %(default)s')
    parser.add_argument(
        '--char-dir',
        help='directory of the character lists {stem}_GT.txt '
        '("[#]R G B cx cy x1 y1 x2 y2 \\"c\\"", # = don\'t care): listed '
        'colours are text, don\'t-care and unlisted colours ignore')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters.icdar2013_seg import convert_icdar2013
from mmtextknow.datasets.converters.textseg import run_conversion
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Convert and print the report; ``argv`` defaults to sys.argv[1:]."""
    args = parse_args(argv)
    run_conversion(
        partial(
            convert_icdar2013,
            white_level=args.white_level,
            char_dir=args.char_dir,
            **paired_kwargs(args)))


if __name__ == '__main__':
    run_cli(main)
