"""Command-line options shared by the text segmentation converters.

Standard library only, so that a converter answers ``--help`` before it
imports mmtextknow (which loads torch and MMOCR).
"""
import argparse
from typing import Optional, Sequence

#: Epilog of every converter: where the bad-input rules are.
BAD_INPUT_EPILOG = (
    'Bad input (a missing or corrupt image, a malformed annotation, a mask '
    'of another size, ...) is counted and listed in the report; --strict '
    'fails on the first one instead. A missing input directory or an '
    'unreadable top-level annotation file is an error naming the path. The '
    'rules: docs/en/dataset_prepare.md#bad-input-rules.')


def add_output_arguments(parser: argparse.ArgumentParser,
                         default_split: Optional[str]) -> None:
    """Add the output options shared by the converter CLIs.

    Also sets the parser's epilog to :data:`BAD_INPUT_EPILOG`.

    Args:
        parser (ArgumentParser): The parser.
        default_split (str, optional): Default of ``--split``; None means
            that the converter derives it.
    """
    parser.epilog = BAD_INPUT_EPILOG
    parser.add_argument(
        'out_root',
        help='dataset root: receives textseg_{split}.json and masks/; '
        'all paths in the JSON are relative to it')
    parser.add_argument(
        '--split',
        default=default_split,
        help='split name used in the file names; default: '
        f'{default_split or "derived from the input file name"}')
    parser.add_argument(
        '--no-polygon-masks',
        dest='polygon_masks',
        action='store_false',
        help='do not write polygon-level masks')
    parser.add_argument(
        '--fill-ignored',
        action='store_true',
        help='fill ignored (don\'t care) words into the polygon masks as '
        'text instead of writing them as ignore (127)')
    parser.add_argument(
        '--strict',
        action='store_true',
        help='fail on the first skipped image or malformed annotation '
        'instead of counting it')


def output_kwargs(args: argparse.Namespace) -> dict:
    """Keyword arguments of a conversion from parsed output options.

    Args:
        args (Namespace): Parsed with :func:`add_output_arguments`.

    Returns:
        dict: ``out_root``, ``split``, ``polygon_masks``, ``fill_ignored``,
        ``strict``.
    """
    return dict(
        out_root=args.out_root,
        split=args.split,
        polygon_masks=args.polygon_masks,
        fill_ignored=args.fill_ignored,
        strict=args.strict)


def add_paired_arguments(parser: argparse.ArgumentParser,
                         dir_helps: Sequence[str],
                         default_split: str) -> None:
    """Add the CLI arguments of a paired-files source.

    Positionals ``img_dir``, ``gt_dir``, ``pixel_dir`` (with
    ``dir_helps``), then ``out_root`` and the output options, then
    ``--gt-name-fmt`` / ``--pixel-name-fmt`` (default: the file names of
    the official release, listed in the converter module's docstring).

    Args:
        parser (ArgumentParser): The parser.
        dir_helps (Sequence[str]): Help of the three directories.
        default_split (str): Default of ``--split``.
    """
    for dest, text in zip(('img_dir', 'gt_dir', 'pixel_dir'), dir_helps):
        parser.add_argument(dest, help=text)
    add_output_arguments(parser, default_split)
    for kind in ('gt', 'pixel'):
        parser.add_argument(
            f'--{kind}-name-fmt',
            action='append',
            help=f'file name in {kind.upper()}_DIR, with {{stem}} (image '
            'name without extension); repeat to try several; default: the '
            "official release's names")


def paired_kwargs(args: argparse.Namespace) -> dict:
    """Keyword arguments of a paired-files converter from parsed args.

    Args:
        args (Namespace): Parsed with :func:`add_paired_arguments`.

    Returns:
        dict: The directories, name formats and output options.
    """
    return dict(
        img_dir=args.img_dir,
        gt_dir=args.gt_dir,
        pixel_dir=args.pixel_dir,
        gt_name_fmts=args.gt_name_fmt,
        pixel_name_fmts=args.pixel_name_fmt,
        **output_kwargs(args))
