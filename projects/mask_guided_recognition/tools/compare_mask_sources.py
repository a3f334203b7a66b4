# Copyright (c) mmtextknow contributors. All rights reserved.
"""Word accuracy of the same recognizer fed with no mask, a random mask
(RM), the ground-truth mask (GT) or a segmenter's predicted mask (PM), on
held-out generated word crops.

Generates a fresh scene-text set (seeded: the same options give the same
crops), cuts its words and their pixel masks out
(``crop_words.py --with-masks``), then trains and tests one toy config per
variant in this process, each from the same random initialisation and
seed, and prints one line per variant plus a Markdown table (also written
to ``OUT_DIR/results.json``).

Example (the README's figures)::

    python projects/mask_guided_recognition/tools/compare_mask_sources.py \\
        work_dirs/mask_sources --num-train 200 --num-test 40 --epochs 6 \\
        --seg-checkpoint work_dirs/fcn_resnet18_8e_toy/epoch_8.pth
"""
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
# Import this clone's mmtextknow and the project package.
sys.path.insert(0, str(REPO_ROOT))

import argparse
import importlib.util
import json
import time
from typing import Dict, List, Optional

#: Variant -> toy config (under the project's configs/).
VARIANTS = {
    'none': 'crnn_resnet-tiny_20e_toy.py',
    'rm': 'crnn-rm_resnet-tiny_20e_toy.py',
    'gt': 'crnn-gt_resnet-tiny_20e_toy.py',
    'pm': 'crnn-pm_resnet-tiny_20e_toy.py',
}
CONFIG_DIR = REPO_ROOT / 'projects' / 'mask_guided_recognition' / 'configs'
#: The metrics reported, as MMOCR's evaluator names them.
METRICS = ('toy/recog/word_acc_ignore_case', 'toy/recog/char_recall')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        description='Train and test the toy recognizer with each mask '
        'source on freshly generated word crops.')
    parser.add_argument('out_dir', help='data and work directories go here')
    parser.add_argument(
        '--variants',
        nargs='+',
        default=None,
        choices=list(VARIANTS),
        help='default: none rm gt, plus pm with --seg-checkpoint')
    parser.add_argument(
        '--num-train',
        type=int,
        default=200,
        help='generated training images; default: %(default)s')
    parser.add_argument(
        '--num-test',
        type=int,
        default=40,
        help='generated test images; default: %(default)s')
    parser.add_argument(
        '--img-size',
        type=int,
        default=256,
        help='generated image size; default: %(default)s')
    parser.add_argument(
        '--seed', type=int, default=7, help='data seed; default: %(default)s')
    parser.add_argument(
        '--epochs',
        type=int,
        default=6,
        help='training epochs; default: %(default)s')
    parser.add_argument(
        '--data-root',
        default=None,
        help='use these word crops (textrecog_{train,test}.json with '
        'pixel_mask_path) instead of generating OUT_DIR/data')
    parser.add_argument(
        '--seg-checkpoint',
        default=None,
        help='checkpoint of the PM variant\'s segmenter (the toy FCN)')
    args = parser.parse_args(argv)
    if args.variants is None:
        args.variants = ['none', 'rm', 'gt'] + (['pm']
                                                if args.seg_checkpoint else [])
    if 'pm' in args.variants and not args.seg_checkpoint:
        parser.error('the pm variant needs --seg-checkpoint')
    if min(args.num_train, args.num_test, args.epochs) < 1:
        parser.error('--num-train, --num-test and --epochs must be >= 1')
    return args


def prepare_data(root: Path, num_train: int, num_test: int, img_size: int,
                 seed: int) -> Dict[str, int]:
    """Generate the scene images and cut out the word crops and masks.

    Args:
        root (Path): Dataset root (created; generated files replaced).
        num_train (int): Training images.
        num_test (int): Test images.
        img_size (int): Image size.
        seed (int): Generator seed.

    Returns:
        dict[str, int]: Number of word crops per split.
    """
    from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                                generate_dataset)
    generate_dataset(
        root, {'train': num_train, 'test': num_test},
        cfg=SceneTextGeneratorConfig(img_size=img_size, seed=seed),
        progress=False)
    path = REPO_ROOT / 'tools' / 'dataset_converters' / 'crop_words.py'
    spec = importlib.util.spec_from_file_location('crop_words_tool', path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    counts = {}
    for split in ('train', 'test'):
        report = tool.crop_words(
            str(root), f'textdet_{split}.json', f'textrecog_{split}.json',
            with_masks=True)
        counts[split] = report['num_crops']
    return counts


def train_and_test(config: str,
                   data_root: Path,
                   work_dir: Path,
                   epochs: int,
                   cfg_options: Optional[dict] = None) -> Dict[str, float]:
    """Train a toy config on ``data_root`` and test its last checkpoint.

    Args:
        config (str): Config path.
        data_root (Path): Root of the word crops (``textrecog_*.json``).
        work_dir (Path): Work directory.
        epochs (int): Training epochs (a checkpoint at the end, no
            validation).
        cfg_options (dict, optional): Merged into the config last.

    Returns:
        dict[str, float]: The test metrics plus ``train_s`` (training wall
        time in seconds).
    """
    from mmengine.config import Config

    from mmtextknow.utils import build_runner
    cfg = Config.fromfile(config)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'{Path(config).stem}_{work_dir.name}'
    for loader in ('train_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = str(data_root)
    # No validation while training: tested once, after it.
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.train_cfg.max_epochs = epochs
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=epochs, save_last=False)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    runner = build_runner(cfg)
    start = time.perf_counter()
    runner.train()
    train_s = time.perf_counter() - start
    metrics = runner.test()
    return dict({k: float(v) for k, v in metrics.items()}, train_s=train_s)


def markdown_table(results: Dict[str, Dict[str, float]],
                   counts: Dict[str, int]) -> str:
    """The results as a Markdown table."""
    lines = [
        f'| mask channel | word acc. (ignore case) | char recall | '
        f'train s | ({counts["train"]} training / {counts["test"]} test '
        'crops) |', '|---|---|---|---|---|'
    ]
    for variant, metrics in results.items():
        lines.append(f'| {variant} | {metrics[METRICS[0]]:.3f} | '
                     f'{metrics[METRICS[1]]:.3f} | {metrics["train_s"]:.0f} '
                     f'| {VARIANTS[variant]} |')
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    """Prepare the data, run the variants, print and save the results."""
    args = parse_args(argv)
    out = Path(args.out_dir)
    if args.data_root:
        data_root = Path(args.data_root)
        counts = {
            split: len(
                json.loads((data_root / f'textrecog_{split}.json').read_text(
                    encoding='utf-8'))['data_list'])
            for split in ('train', 'test')
        }
    else:
        data_root = out / 'data'
        counts = prepare_data(data_root, args.num_train, args.num_test,
                              args.img_size, args.seed)
    print(f'word crops: {counts}')
    results = {}
    for variant in args.variants:
        options = None
        if variant == 'pm':
            options = {
                'model.data_preprocessor.seg_checkpoint': args.seg_checkpoint
            }
        results[variant] = train_and_test(
            str(CONFIG_DIR / VARIANTS[variant]), data_root, out / variant,
            args.epochs, options)
        print(f'{variant}: ' + ', '.join(
            f'{k} {v:.4f}' for k, v in results[variant].items()))
    table = markdown_table(results, counts)
    print(table)
    (out / 'results.json').write_text(
        json.dumps(dict(args=vars(args), crops=counts, results=results),
                   indent=2))


if __name__ == '__main__':
    from mmtextknow.utils import run_cli
    run_cli(main)
