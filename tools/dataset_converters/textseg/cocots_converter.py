# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert COCO-Text v2 words (optionally the COCO-TS subset) to our JSON.

Words and polygons come from ``cocotext.v2.json``; with ``--labels`` only
the images of the COCO-TS label folder are converted (MGNet's stage 1:
COCO-TS polygon-level masks). Polygon masks: 255 legible words, 127
illegible ones. See ``mmtextknow/datasets/converters/coco_ts.py``.

Example (COCO-TS for MGNet)::

    python tools/dataset_converters/textseg/cocots_converter.py \\
        data/coco_ts/cocotext.v2.json data/coco_ts/train2014 \\
        data/coco_ts --labels data/coco_ts/COCO_TS_labels --split train
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import argparse
from functools import partial
from typing import List, Optional

from tools.dataset_converters.textseg.textseg_cli import (
    add_output_arguments, output_kwargs)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Convert the words of a COCO-Text v2 JSON (anns / imgs '
        '/ imgToAnns) or a COCO-style JSON (images / annotations) to a text '
        'segmentation JSON with polygon mask PNGs; with --labels only the '
        'images of a COCO-TS label folder (their label maps are not used).')
    parser.add_argument('ann_file', help='cocotext.v2.json or a COCO JSON')
    parser.add_argument(
        'img_dir',
        help='directory the images\' file_name is relative to (MSCOCO '
        'train2014 for COCO-Text)')
    add_output_arguments(parser, default_split='train')
    parser.add_argument(
        '--labels',
        metavar='LABEL_DIR',
        help='COCO-TS label folder (COCO_TS_labels, one {stem}.png per '
        'image): convert exactly its images')
    parser.add_argument(
        '--set',
        dest='sets',
        action='append',
        help='keep only images of this COCO-Text set (train / val); '
        'repeat for several; default: all')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters.coco_ts import convert_coco_ts
from mmtextknow.datasets.converters.textseg import run_conversion
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Convert and print the report; ``argv`` defaults to sys.argv[1:]."""
    args = parse_args(argv)
    run_conversion(
        partial(
            convert_coco_ts,
            args.ann_file,
            args.img_dir,
            label_dir=args.labels,
            sets=args.sets,
            **output_kwargs(args)))


if __name__ == '__main__':
    run_cli(main)
