# Copyright (c) mmtextknow contributors. All rights reserved.
"""Generate the deterministic synthetic scene-text dataset (toy data).

Examples::

    python tools/dataset_converters/generate_toy_data.py data/toy_scenetext \\
        --num-train 96 --num-test 24 --img-size 256 --seed 0
    # TPN curriculum stage 1: 48k images of words from a word list (e.g.
    # MJSynth's 90k lexicon.txt) on simple backgrounds
    python tools/dataset_converters/generate_toy_data.py data/synthwords \\
        --preset synthwords --lexicon data/mjsynth/lexicon.txt
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import glob
import json
import os
import os.path as osp
import shutil
import time
from collections import Counter
from typing import Dict, List, Optional


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into generator options."""
    parser = argparse.ArgumentParser(
        description='Generate a deterministic synthetic scene-text '
        'detection dataset (images, pixel/polygon text masks, clean '
        'backgrounds and MMOCR OCRDataset JSON files).')
    parser.add_argument(
        'out_dir',
        nargs='?',
        default='data/toy_scenetext',
        help='output directory; default: %(default)s')
    parser.add_argument(
        '--preset',
        default='toy',
        choices=('toy', 'synthwords'),
        help='option set: toy (the bundled toy data) or synthwords (TPN '
        'curriculum stage 1: horizontal words of --lexicon on simple '
        'backgrounds, 480x320, 48000 train / 0 test images); the options '
        'below override it; default: %(default)s')
    parser.add_argument(
        '--lexicon',
        default=None,
        metavar='FILE',
        help='word list, one word per line (UTF-8, BOM and CRLF accepted), '
        'e.g. the 90k generic lexicon; required by --preset synthwords; '
        'words too wide for the image at the smallest font are left out '
        '(counted in the summary)')
    parser.add_argument(
        '--num-train',
        type=int,
        default=None,
        help='training images; default: 96 (toy), 48000 (synthwords)')
    parser.add_argument(
        '--num-test',
        type=int,
        default=None,
        help='test images; default: 24 (toy), 0 (synthwords)')
    parser.add_argument(
        '--img-size',
        type=int,
        nargs='+',
        default=None,
        metavar='SIZE',
        help='image size: W [H]; default: 256 (toy), 480 320 (synthwords)')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed; default: %(default)s')
    parser.add_argument(
        '--words-per-image',
        type=int,
        nargs=2,
        default=None,
        metavar=('MIN', 'MAX'),
        help='words tried per image; default: 1 3 (toy), 1 4 (synthwords)')
    parser.add_argument(
        '--shapes',
        nargs='+',
        default=None,
        metavar='SHAPE=PROB',
        help='relative probabilities of the word shapes, e.g. '
        '"horizontal=0.4 rotated=0.3 curved=0.3" (missing shapes get 0); '
        'default: 0.4 / 0.3 / 0.3 (toy), horizontal only (synthwords)')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='write into a non-empty OUT_DIR, first removing what this tool '
        'writes there (imgs/, masks/, backgrounds/, textdet_*.json)')
    parser.add_argument(
        '--no-progress', action='store_true', help='hide the progress bar')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.datasets.generators import (SHAPES, SceneTextGeneratorConfig,
                                            generate_dataset)
from mmtextknow.datasets.generators.presets import (PRESETS, preset_options,
                                                    read_word_list,
                                                    with_word_list)
from mmtextknow.utils import run_cli

#: What the generator writes under ``out_dir`` (removed by --overwrite).
OUTPUT_DIRS = ('imgs', 'masks', 'backgrounds')
OUTPUT_JSON_GLOB = 'textdet_*.json'


def parse_shapes(items: List[str]) -> Dict[str, float]:
    """Parse ``SHAPE=PROB`` items.

    Args:
        items (list[str]): Items such as ``['curved=1', 'rotated=0.5']``.

    Returns:
        dict[str, float]: Shape probabilities.

    Raises:
        ValueError: On a malformed item or an unknown shape.
    """
    probs = {}
    for item in items:
        name, sep, value = item.partition('=')
        if not sep or name not in SHAPES:
            raise ValueError(f'--shapes: expected SHAPE=PROB with SHAPE in '
                             f'{list(SHAPES)}, got {item!r}')
        try:
            probs[name] = float(value)
        except ValueError:
            raise ValueError(
                f'--shapes: {item!r} has no number after "="') from None
    return probs


def build_config(args: argparse.Namespace) -> SceneTextGeneratorConfig:
    """The generator options from the parsed arguments: the preset's, then
    the explicit options, then the ``--lexicon`` words (those too wide for
    the image left out; how many is kept in ``args.lexicon_report``).

    Raises:
        ValueError: On invalid options.
        FileNotFoundError: If ``--lexicon`` is not a file.
    """
    kwargs = preset_options(args.preset)
    if args.img_size is not None:
        if len(args.img_size) not in (1, 2):
            raise ValueError('--img-size takes W or W H')
        kwargs['img_size'] = tuple(args.img_size *
                                   (3 - len(args.img_size)))[:2]
    elif 'img_size' not in kwargs:
        kwargs['img_size'] = (256, 256)
    if args.words_per_image is not None:
        kwargs['words_per_image'] = tuple(args.words_per_image)
    elif 'words_per_image' not in kwargs:
        kwargs['words_per_image'] = (1, 3)
    kwargs['seed'] = args.seed
    if args.shapes is not None:
        kwargs['shape_probs'] = parse_shapes(args.shapes)
    args.lexicon_report = None
    if args.lexicon is None:
        if args.preset == 'synthwords':
            raise ValueError('--preset synthwords needs --lexicon FILE (a '
                             'word list such as the 90k generic lexicon)')
        return SceneTextGeneratorConfig(**kwargs)
    words, skipped = read_word_list(args.lexicon)
    cfg, too_wide = with_word_list(SceneTextGeneratorConfig(**kwargs), words)
    skipped['too wide for the image'] = too_wide
    args.lexicon_report = (f'lexicon {args.lexicon}: {len(cfg.vocabulary)} '
                           'words used; left out: ' + ', '.join(
                               f'{reason} {num}'
                               for reason, num in sorted(skipped.items())))
    return cfg


def num_images_of(args: argparse.Namespace) -> Dict[str, int]:
    """``split -> number of images`` (the preset's where not given).

    Raises:
        ValueError: On a negative number.
    """
    defaults = PRESETS[args.preset][1]
    num_images = dict(
        train=defaults['train'] if args.num_train is None else args.num_train,
        test=defaults['test'] if args.num_test is None else args.num_test)
    if min(num_images.values()) < 0:
        raise ValueError('--num-train and --num-test must be >= 0')
    return num_images


def prepare_out_dir(out_dir: str, overwrite: bool) -> None:
    """Create ``out_dir``, refusing a non-empty one unless ``overwrite``.

    With ``overwrite``, only what this tool writes is removed.

    Raises:
        FileExistsError: If ``out_dir`` is a file, or is a non-empty
            directory and ``overwrite`` is False.
    """
    if osp.exists(out_dir) and not osp.isdir(out_dir):
        raise FileExistsError(f'{out_dir} exists and is not a directory')
    if osp.isdir(out_dir) and os.listdir(out_dir):
        if not overwrite:
            raise FileExistsError(
                f'{out_dir} is not empty; pass --overwrite to replace the '
                'generated files in it')
        for name in OUTPUT_DIRS:
            path = osp.join(out_dir, name)
            if osp.isdir(path) and not osp.islink(path):
                shutil.rmtree(path)
            elif osp.lexists(path):
                os.remove(path)
        for path in glob.glob(osp.join(out_dir, OUTPUT_JSON_GLOB)):
            os.remove(path)
    os.makedirs(out_dir, exist_ok=True)


def summarize(json_paths: Dict[str, str], out_dir: str,
              seconds: float) -> str:
    """A summary of the written dataset.

    Args:
        json_paths (dict[str, str]): ``split -> annotation JSON``.
        out_dir (str): Dataset root.
        seconds (float): Generation time.

    Returns:
        str: Multi-line summary.
    """
    lines = [f'generated in {seconds:.1f} s under {out_dir}']
    for split, path in json_paths.items():
        with open(path, encoding='utf-8') as f:
            data_list = json.load(f)['data_list']
        shapes = Counter(ins['shape'] for item in data_list
                         for ins in item['instances'])
        per_shape = ', '.join(f'{s}={shapes.get(s, 0)}' for s in SHAPES)
        lines.append(f'  {split}: {len(data_list)} images, '
                     f'{sum(shapes.values())} words ({per_shape}) -> {path}')
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    """Generate the dataset and print a summary.

    An invalid option or a non-empty output directory (without
    ``--overwrite``) exits with 1 before anything is written.

    Args:
        argv (list[str], optional): Arguments; defaults to ``sys.argv[1:]``.
    """
    args = parse_args(argv)
    try:
        cfg = build_config(args)
        num_images = num_images_of(args)
        prepare_out_dir(args.out_dir, args.overwrite)
    except (ValueError, FileExistsError, FileNotFoundError) as e:
        sys.exit(f'error: {e}')
    start = time.perf_counter()
    json_paths = generate_dataset(
        args.out_dir, num_images, cfg, progress=not args.no_progress)
    print(summarize(json_paths, args.out_dir, time.perf_counter() - start))
    if args.lexicon_report is not None:
        print(args.lexicon_report)


if __name__ == '__main__':
    run_cli(main)
