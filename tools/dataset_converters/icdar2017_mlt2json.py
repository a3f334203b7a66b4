# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert ICDAR 2017 MLT localisation ground truth to MMOCR JSON.

ROOT holds the unpacked zips (``ch8_training_images_{1..8}/``,
``ch8_training_localization_transcription_gt_v2/``,
``ch8_validation_images/``,
``ch8_validation_localization_transcription_gt_v2/``); the JSONs of
configs/_base_/datasets/icdar2017_mlt.py are written into it::

    python tools/dataset_converters/icdar2017_mlt2json.py data/icdar2017_mlt

-> ``data/icdar2017_mlt/textdet_train.json`` (training) and
``textdet_val.json`` (validation). Lines are
``x1,y1,...,x4,y4,script,transcription``; the script is not part of the
text, ``###`` is "don't care".
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
from typing import List, Optional

from tools.dataset_converters.detection_cli import (add_bad_input_arguments,
                                                    bad_input_kwargs,
                                                    print_report)

SUBSETS = ('training', 'validation')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Convert ICDAR 2017 MLT (task 1) ground truth to MMOCR '
        '1.x OCRDataset (TextDetDataset) JSON files.',
        epilog='Layout, line format and bad-input rules: '
        'mmtextknow.datasets.converters.icdar2017_mlt and '
        'docs/en/dataset_prepare.md#bad-input-rules.',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('root', help='folder of the unpacked MLT 2017 zips')
    parser.add_argument(
        '--subsets',
        nargs='+',
        choices=SUBSETS,
        default=list(SUBSETS),
        help='subsets to convert; default: both')
    parser.add_argument(
        '--out-dir',
        default=None,
        help='where the JSONs go; img_path is written relative to it (the '
        'data_root of the dataset config); default: ROOT')
    add_bad_input_arguments(parser)
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters import convert_icdar2017_mlt
from mmtextknow.datasets.converters.icdar2017_mlt import MLT2017_JSON
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Convert each subset and print its report.

    Args:
        argv (list[str], optional): Arguments; defaults to ``sys.argv[1:]``.
    """
    args = parse_args(argv)
    out_dir = Path(args.out_dir if args.out_dir is not None else args.root)
    for subset in args.subsets:
        report = convert_icdar2017_mlt(
            args.root,
            subset,
            out_dir / MLT2017_JSON[subset],
            **bad_input_kwargs(args))
        print_report(report, title=subset)


if __name__ == '__main__':
    run_cli(main)
