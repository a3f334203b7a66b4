"""Command-line options shared by the text detection converters
(``icdar_txt2json.py``, ``td500_gt2json.py``, ``icdar2017_mlt2json.py``).

Standard library only, so that a converter answers ``--help`` before it
imports mmtextknow (which loads torch and MMOCR).
"""
import argparse
from typing import Optional


def add_img_root_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--img-root``: what ``img_path`` is written relative to."""
    parser.add_argument(
        '--img-root',
        default=None,
        help='img_path is written relative to this directory (the '
        'data_root of the dataset config); default: the directory of '
        'OUT_JSON')


def add_bad_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--strict`` and ``--skip-invalid``, the switches of the
    bad-input rules (docs/en/dataset_prepare.md#bad-input-rules)."""
    parser.add_argument(
        '--strict',
        action='store_true',
        help='fail on a missing/corrupt image or a missing gt file instead '
        'of skipping it')
    parser.add_argument(
        '--skip-invalid',
        action='store_true',
        help='skip and count malformed gt lines instead of failing')


def bad_input_kwargs(args: argparse.Namespace) -> dict:
    """``strict`` and ``skip_invalid`` of a conversion, from options parsed
    with :func:`add_bad_input_arguments`."""
    return dict(strict=args.strict, skip_invalid=args.skip_invalid)


def print_report(report, title: Optional[str] = None) -> None:
    """Print a conversion report and the JSON it wrote.

    Args:
        report (ConversionReport): The converter's report.
        title (str, optional): A ``[title]`` line first (e.g. the subset
            when one call converts several).
    """
    if title is not None:
        print(f'[{title}]')
    print(report.summary())
    print(f'written: {report.out_json}')
