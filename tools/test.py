"""Test (and evaluate) a model: MMOCR's ``tools/test.py`` with mmtextknow.

Same arguments as MMOCR's. Metrics are printed and written under the work
directory; ``--save-preds`` also dumps the predictions.
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import os.path as osp

from mmengine.config import Config, DictAction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='Test config file path')
    parser.add_argument('checkpoint', help='Checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='The directory to save the file containing evaluation metrics')
    parser.add_argument(
        '--save-preds',
        action='store_true',
        help='Dump predictions to a pickle file for offline evaluation')
    parser.add_argument(
        '--show', action='store_true', help='Show prediction results')
    parser.add_argument(
        '--show-dir',
        help='Directory where painted images (ground truth and '
        'predictions) will be saved, in DIR/vis_data/vis_image/ (as MMOCR: '
        'a relative DIR is relative to the current directory)')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='The interval of show (s)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='Override settings in the config, as key=value pairs')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='Job launcher')
    parser.add_argument(
        '--tta', action='store_true', help='Test time augmentation')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser.parse_args()


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import mmtextknow  # noqa: F401  (registers components, safe ckpt loading)
from mmtextknow.utils import (apply_common_options, build_runner, run_cli,
                              set_local_rank_env, teardown_distributed)


def enable_visualization(cfg: Config, args: argparse.Namespace) -> None:
    """Turn the VisualizationHook on for ``--show`` / ``--show-dir``."""
    hook = cfg.default_hooks.get('visualization')
    if hook is None:
        raise RuntimeError('--show/--show-dir need a VisualizationHook in '
                           "default_hooks: visualization=dict("
                           "type='VisualizationHook')")
    hook.update(enable=True, draw_gt=True, draw_pred=True)
    if args.show:
        hook.update(show=True, wait_time=args.wait_time)
    if args.show_dir:
        cfg.visualizer['save_dir'] = args.show_dir
        cfg.visualizer['vis_backends'] = [dict(type='LocalVisBackend')]


def add_prediction_dump(cfg: Config, checkpoint: str) -> None:
    """Append a DumpResults metric to the test evaluator (``--save-preds``)."""
    dump = dict(
        type='DumpResults',
        out_file_path=osp.join(
            cfg.work_dir, f'{osp.basename(checkpoint)}_predictions.pkl'))
    evaluators = cfg.test_evaluator
    if not isinstance(evaluators, (list, tuple)):
        evaluators = [evaluators]
    cfg.test_evaluator = list(evaluators) + [dump]


def main() -> None:
    args = parse_args()
    set_local_rank_env(args.local_rank)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'{args.checkpoint}: checkpoint not found')
    if args.show and args.show_dir:
        raise ValueError('--show and --show-dir cannot be set at the same '
                         'time')
    cfg = Config.fromfile(args.config)
    apply_common_options(cfg, args.config, args.work_dir, args.launcher,
                         args.cfg_options)
    cfg.load_from = args.checkpoint
    if args.show or args.show_dir:
        enable_visualization(cfg, args)
    if args.tta:
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    if args.save_preds:
        add_prediction_dump(cfg, args.checkpoint)
    try:
        build_runner(cfg).test()
    finally:
        teardown_distributed()


if __name__ == '__main__':
    run_cli(main)
