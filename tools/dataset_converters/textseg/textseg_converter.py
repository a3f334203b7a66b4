# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert the TextSeg dataset to segmentation JSON.

Example::

    python tools/dataset_converters/textseg/textseg_converter.py \\
        data/textseg/image data/textseg/annotation \\
        data/textseg/semantic_label data/textseg --split test \\
        --split-file data/textseg/split.json
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
        description='Convert a TextSeg split (image/, annotation/*_anno.json '
        'word polygons, semantic_label/*_maskfg.png) to a text segmentation '
        'JSON with pixel and polygon mask PNGs.')
    add_paired_arguments(
        parser,
        ('images (image/)', 'per-image word JSONs (annotation/)',
         'pixel labels *_maskfg.png: 100 text, 200 word effect (background), '
         '255 ignore (semantic_label/)'),
        default_split='test')
    parser.add_argument(
        '--split-file',
        help='split.json ({"train": [...], "val": [...], "test": [...]}); '
        'default: convert every image of the directories')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters.textseg import run_conversion
from mmtextknow.datasets.converters.textseg_dataset import convert_textseg
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Convert and print the report; ``argv`` defaults to sys.argv[1:]."""
    args = parse_args(argv)
    run_conversion(
        partial(
            convert_textseg, split_file=args.split_file,
            **paired_kwargs(args)))


if __name__ == '__main__':
    run_cli(main)
