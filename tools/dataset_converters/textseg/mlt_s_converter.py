# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert MLT-S (MLT 2017 words of the MLT-S images) to our JSON.

ROOT holds the unpacked MLT 2017 zips (``ch8_training_images_{1..8}``,
``ch8_training_localization_transcription_gt_v2``,
``ch8_validation_images``,
``ch8_validation_localization_transcription_gt_v2``) and the MLT-S zip
(``MLT_S_labels/{training,validation}_labels``). The images of the label
folders are converted with their MLT 2017 word polygons (255; ``###``
words 127); MGNet trains on both subsets, so both go into one split by
default. See ``mmtextknow/datasets/converters/mlt_s.py``.

Example::

    python tools/dataset_converters/textseg/mlt_s_converter.py \\
        data/mlt data/mlt_s --split train
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import argparse
from typing import List, Optional

from tools.dataset_converters.textseg.textseg_cli import (
    add_output_arguments, output_kwargs)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Convert the MLT-S images (those with an MLT-S label '
        'map) with their ICDAR MLT 2017 word polygons to a text '
        'segmentation JSON with polygon mask PNGs (the label maps are not '
        'used).')
    parser.add_argument(
        'root', help='folder with the unpacked MLT 2017 and MLT-S zips')
    add_output_arguments(parser, default_split='train')
    parser.add_argument(
        '--subset',
        dest='subsets',
        action='append',
        choices=('training', 'validation'),
        help='MLT-S subset to convert; repeat for several; default: both')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters.mlt_s import convert_mlt_s, mlt_s_subsets
from mmtextknow.datasets.converters.textseg import run_conversion
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Convert and print the report; ``argv`` defaults to sys.argv[1:]."""
    args = parse_args(argv)
    names = args.subsets or ('training', 'validation')
    run_conversion(lambda: convert_mlt_s(
        mlt_s_subsets(args.root, names), **output_kwargs(args)))


if __name__ == '__main__':
    run_cli(main)
