"""Command-line options shared by the overlay (heat map) tools.

Only argparse and mmengine's ``DictAction``, so that a tool answers
``--help`` before it imports torch, MMOCR and mmtextknow.
"""
import argparse
from typing import List, Optional

from mmengine.config import DictAction


def overlay_tool_parser(description: str,
                        config_help: str) -> argparse.ArgumentParser:
    """The arguments the overlay tools share: ``config checkpoint inputs
    --out-dir [--device] [--alpha] [--cfg-options]``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('config', help=config_help)
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('inputs', help='an image file or a folder of images')
    parser.add_argument(
        '--out-dir', required=True, help='folder of the outputs')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument(
        '--alpha',
        type=float,
        default=0.5,
        help='weight of the heat colours in the blend, in [0, 1]')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value (mmengine style)')
    return parser


def parse_overlay_args(parser: argparse.ArgumentParser,
                       argv: Optional[List[str]] = None
                       ) -> argparse.Namespace:
    """Parse ``argv`` and check ``--alpha``."""
    args = parser.parse_args(argv)
    if not 0. <= args.alpha <= 1.:
        parser.error(f'--alpha must be in [0, 1], got {args.alpha}')
    return args
