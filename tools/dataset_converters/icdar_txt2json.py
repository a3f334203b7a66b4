# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert ICDAR-2015-style ``.txt`` ground truth to MMOCR OCRDataset JSON.

Example::

    python tools/dataset_converters/icdar_txt2json.py \\
        data/icdar2015/imgs/train data/icdar2015/annotations/train \\
        data/icdar2015/textdet_train.json --img-root data/icdar2015
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
from typing import List, Optional

from tools.dataset_converters.detection_cli import (add_bad_input_arguments,
                                                    add_img_root_argument,
                                                    bad_input_kwargs,
                                                    print_report)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Convert ICDAR-2015-style ground truth '
        '(x1,y1,...,x4,y4,transcript per line) to an MMOCR 1.x '
        'OCRDataset (TextDetDataset) JSON file.',
        epilog='Bad-input rules (what is skipped and counted, what raises): '
        'docs/en/dataset_prepare.md#bad-input-rules, or '
        'mmtextknow.datasets.converters.BAD_INPUT_RULES.',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('img_dir', help='directory of the images')
    parser.add_argument('gt_dir', help='directory of the gt .txt files')
    parser.add_argument('out_json', help='output JSON file')
    parser.add_argument(
        '--gt-name-fmt',
        default='gt_{stem}.txt',
        help='gt file name of an image, with {stem} (image name without '
        'extension) and/or {name} (image file name); default: %(default)s')
    add_img_root_argument(parser)
    add_bad_input_arguments(parser)
    parser.add_argument(
        '--num-points',
        type=int,
        default=4,
        help='polygon points per gt line; default: %(default)s')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters import (check_icdar_options,
                                            convert_icdar_txt)
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Run the conversion and print its report.

    Bad input data raises :class:`~mmtextknow.utils.DataError` (reported by
    :func:`~mmtextknow.utils.run_cli`); an invalid option exits with 1.

    Args:
        argv (list[str], optional): Arguments; defaults to ``sys.argv[1:]``.
    """
    args = parse_args(argv)
    try:
        check_icdar_options(args.gt_name_fmt, args.num_points)
    except ValueError as e:
        sys.exit(f'error: {e}')
    report = convert_icdar_txt(
        args.img_dir,
        args.gt_dir,
        args.out_json,
        gt_name_fmt=args.gt_name_fmt,
        img_root=args.img_root,
        num_points=args.num_points,
        **bad_input_kwargs(args))
    print_report(report)


if __name__ == '__main__':
    run_cli(main)
