# Copyright (c) mmtextknow contributors. All rights reserved.
"""MGNet's F1 Top-1 rate of text segmentation methods, image by image.

Each input is a per-image dump written by ``TextPixelMetric`` with
``dump_per_image=PATH``, one per method, over the same test images. An
image counts for a method when its F1 is strictly the highest; tied images
count for none. With ``dump_per_image='{log_dir}/per_image.json'`` each
run writes its own dump under ``work_dir/{timestamp}/``.

Example::

    python tools/analysis_tools/textseg_f1_top1.py \\
        work_dirs/mgnet/20260101_120000/per_image.json \\
        work_dirs/armnet/20260102_090000/per_image.json
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
from typing import List, Optional


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        description='F1 Top-1 rate (MGNet, eq. 6) of each method from '
        'TextPixelMetric per-image dumps.')
    parser.add_argument(
        'dumps', nargs='+', help='per-image JSON dumps, one per method')
    parser.add_argument(
        '--names', nargs='+', help='method names (default: the dump paths)')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.evaluation.metrics.text_pixel_metric import f1_top1_rates
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Print the F1 Top-1 rate of each method, in percent."""
    args = parse_args(argv)
    names = args.names or args.dumps
    if len(names) != len(args.dumps):
        raise SystemExit('--names needs one name per dump')
    for name, rate in zip(names, f1_top1_rates(args.dumps)):
        print(f'{name}\tF1 Top-1 {100 * rate:.2f}%')


if __name__ == '__main__':
    run_cli(main)
