# Copyright (c) mmtextknow contributors. All rights reserved.
"""Make ICDAR-2013-WARP: randomly warp images, pixel masks and word boxes.

Each image gets a seeded random perspective + mild sinusoidal warp; the
same warp moves its pixel mask (nearest) and its word polygons (densified
to ``--num-points`` points). Same seed, same bytes. See
:mod:`mmtextknow.datasets.converters.textseg_warp`.

Example::

    python tools/dataset_converters/textseg/make_icdar2013_warp.py \\
        data/icdar2013/textseg_test.json data/icdar2013_warp --seed 0
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

#: The warp options of the command line (``WarpOptions`` fields); an option
#: left out keeps the ``WarpOptions`` default.
WARP_OPTIONS = ('seed', 'perspective', 'amplitude', 'num_points')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into warp options."""
    parser = argparse.ArgumentParser(
        description='Warp every image of a text segmentation JSON (e.g. the '
        'output of icdar2013_converter.py) with a seeded random '
        'perspective + sinusoidal warp, applying the same warp to its '
        'pixel mask and word polygons.')
    parser.add_argument(
        'ann_file', help='input textseg_{split}.json (our format)')
    add_output_arguments(parser, default_split=None)
    parser.add_argument(
        '--data-root',
        help='root of the input paths; default: the directory of ANN_FILE')
    parser.add_argument(
        '--seed', type=int, help='random seed; default: WarpOptions.seed')
    parser.add_argument(
        '--perspective',
        type=float,
        help='largest extra inward corner shift, fraction of the image '
        'size; default: WarpOptions.perspective')
    parser.add_argument(
        '--amplitude',
        type=float,
        help='largest wave amplitude, fraction of min(h, w); '
        'default: WarpOptions.amplitude')
    parser.add_argument(
        '--num-points',
        type=int,
        help='points of each output polygon; default: '
        'WarpOptions.num_points')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters.textseg import run_conversion
from mmtextknow.datasets.converters.textseg_warp import (WarpOptions,
                                                         warp_textseg_dataset)
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Warp and print the report; ``argv`` defaults to sys.argv[1:]."""
    args = parse_args(argv)
    options = WarpOptions(**{
        name: getattr(args, name)
        for name in WARP_OPTIONS if getattr(args, name) is not None
    })
    run_conversion(
        partial(
            warp_textseg_dataset,
            args.ann_file,
            data_root=args.data_root,
            options=options,
            **output_kwargs(args)))


if __name__ == '__main__':
    run_cli(main)
