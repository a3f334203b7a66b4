# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert COCO-TS / MLT-S word polygons (COCO-style JSON) to our JSON.

Only the polygons are kept (items get a polygon mask, no pixel mask).

Example::

    python tools/dataset_converters/textseg/cocots_converter.py \\
        data/coco_ts/annotations/train.json data/coco_ts/images \\
        data/coco_ts --split train
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import argparse
from functools import partial
from typing import List, Optional

from mmtextknow.datasets.converters.coco_ts import convert_coco_ts
from mmtextknow.datasets.converters.textseg import (add_output_arguments,
                                                    output_kwargs,
                                                    run_conversion)
from mmtextknow.utils import run_cli


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Convert the word polygons of a COCO-style JSON '
        '(images, annotations with segmentation polygons and optional '
        'utf8_string), e.g. COCO-TS or MLT-S, to a text segmentation JSON '
        'with polygon mask PNGs (their pixel masks are not used).')
    parser.add_argument('ann_file', help='the COCO-style JSON')
    parser.add_argument(
        'img_dir', help='directory the images\' file_name is relative to')
    add_output_arguments(parser, default_split='train')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    """Convert and print the report; ``argv`` defaults to sys.argv[1:]."""
    args = parse_args(argv)
    run_conversion(
        partial(convert_coco_ts, args.ann_file, args.img_dir,
                **output_kwargs(args)))


if __name__ == '__main__':
    run_cli(main)
