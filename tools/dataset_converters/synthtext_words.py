# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert SynthText's ``gt.mat`` (or a detection JSON) to image-level word
lists, the STKM pre-training labels, as an MMOCR OCRDataset JSON.

Example::

    python tools/dataset_converters/synthtext_words.py \\
        data/synthtext/gt.mat data/synthtext/textseq_train.json
    python tools/dataset_converters/synthtext_words.py --from-det-json \\
        data/icdar2015/textdet_train.json data/icdar2015/textseq_train.json
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
from typing import List, Optional


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Convert SynthText gt.mat (or, with --from-det-json, an '
        'MMOCR OCRDataset detection JSON) to image-level word lists for '
        'STKM pre-training.',
        epilog='Input and output formats: the docstring of '
        'mmtextknow.datasets.converters.synthtext_words and '
        'docs/en/dataset_prepare.md#synthtext-word-lists-stkm.',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'src', help='SynthText gt.mat, or a detection JSON with '
        '--from-det-json')
    parser.add_argument('out_json', help='output JSON file')
    parser.add_argument(
        '--from-det-json',
        action='store_true',
        help='SRC is an OCRDataset detection JSON (instances with text and '
        'ignore); ignored words are kept with ignore=true')
    parser.add_argument(
        '--img-prefix',
        default='',
        help='prepended to every img_path (e.g. "SynthText/"); default: '
        'none')
    parser.add_argument(
        '--img-dir',
        default=None,
        help='gt.mat mode: directory the image names are relative to, for '
        '--read-size; default: the directory of gt.mat')
    parser.add_argument(
        '--read-size',
        action='store_true',
        help='gt.mat mode: write height/width read from every image header '
        '(slow on the 800k SynthText images)')
    parser.add_argument(
        '--limit',
        type=int,
        default=None,
        help='convert only the first N images')
    parser.add_argument(
        '--no-progress', action='store_true', help='hide the progress bar')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.converters.synthtext_words import (
    convert_det_json_words, convert_synthtext_words)
from mmtextknow.utils import run_cli


def main(argv: Optional[List[str]] = None) -> None:
    """Run the conversion and print its report.

    Bad input data raises :class:`~mmtextknow.utils.DataError` (reported by
    :func:`~mmtextknow.utils.run_cli`); an invalid option exits with 1.

    Args:
        argv (list[str], optional): Arguments; defaults to ``sys.argv[1:]``.
    """
    args = parse_args(argv)
    if args.limit is not None and args.limit < 1:
        sys.exit(f'error: --limit must be a positive integer, got '
                 f'{args.limit}')
    if args.from_det_json and (args.read_size or args.img_dir):
        sys.exit('error: --read-size/--img-dir apply to gt.mat only')
    common = dict(
        img_prefix=args.img_prefix,
        limit=args.limit,
        progress=not args.no_progress)
    if args.from_det_json:
        report = convert_det_json_words(args.src, args.out_json, **common)
    else:
        report = convert_synthtext_words(
            args.src,
            args.out_json,
            img_dir=args.img_dir,
            read_size=args.read_size,
            **common)
    print(report.summary())
    print(f'written: {report.out_json}')


if __name__ == '__main__':
    run_cli(main)
