# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert MSRA-TD500 / HUST-TR400 ``.gt`` ground truth to MMOCR JSON.

Each folder holds the images and, beside them, one ``{stem}.gt`` per image
(``index difficulty x y w h theta`` lines, theta in radians about the box
centre; difficult lines become ``ignore`` instances). Example (the
``data_root`` of configs/_base_/datasets/msra_td500.py and hust_tr400.py)::

    python tools/dataset_converters/td500_gt2json.py \\
        data/td500/train data/td500/textdet_train.json
    python tools/dataset_converters/td500_gt2json.py \\
        data/td500/test data/td500/textdet_test.json
    python tools/dataset_converters/td500_gt2json.py \\
        data/hust_tr400/HUST-TR400 data/hust_tr400/textdet_train.json
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
        description='Convert an MSRA-TD500 or HUST-TR400 folder (images + '
        '.gt files: index difficulty x y w h theta) to an MMOCR 1.x '
        'OCRDataset (TextDetDataset) JSON file.',
        epilog='Line format and bad-input rules: '
        'mmtextknow.datasets.converters.td500 and '
        'docs/en/dataset_prepare.md#bad-input-rules.',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('img_dir', help='folder of the images and .gt files')
    parser.add_argument('out_json', help='output JSON file')
    add_img_root_argument(parser)
    add_bad_input_arguments(parser)
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters import convert_td500
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Run the conversion and print its report.

    Args:
        argv (list[str], optional): Arguments; defaults to ``sys.argv[1:]``.
    """
    args = parse_args(argv)
    report = convert_td500(
        args.img_dir,
        args.out_json,
        img_root=args.img_root,
        **bad_input_kwargs(args))
    print_report(report)


if __name__ == '__main__':
    run_cli(main)
