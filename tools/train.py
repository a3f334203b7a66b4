"""Train a model: MMOCR's ``tools/train.py`` with mmtextknow registered.

Same arguments as MMOCR's. On a machine without CUDA, ``--launcher pytorch``
(``tools/dist_train.sh``) trains with the gloo backend.
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import logging

from mmengine.config import Config, DictAction
from mmengine.logging import print_log


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='Train config file path')
    parser.add_argument('--work-dir', help='The dir to save logs and models')
    parser.add_argument(
        '--resume', action='store_true', help='Whether to resume checkpoint.')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='Enable automatic-mixed-precision training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='Whether to scale the learning rate automatically. It requires '
        '`auto_scale_lr` in config, and `base_batch_size` in `auto_scale_lr`')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='Override settings in the config, as key=value pairs, e.g. '
        'train_cfg.max_iters=10 or key="[a,b]"')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='Job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser.parse_args()


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import mmtextknow  # noqa: F401  (registers components, safe ckpt loading)
from mmtextknow.utils import (apply_common_options, build_runner, run_cli,
                              set_local_rank_env, teardown_distributed)


def enable_amp(cfg: Config) -> None:
    """Switch ``OptimWrapper`` to ``AmpOptimWrapper`` (``--amp``)."""
    if cfg.optim_wrapper.type == 'AmpOptimWrapper':
        print_log(
            'AMP training is already enabled in your config.',
            logger='current',
            level=logging.WARNING)
        return
    if cfg.optim_wrapper.type != 'OptimWrapper':
        raise ValueError('--amp is only supported when the optimizer wrapper '
                         f'type is OptimWrapper, got {cfg.optim_wrapper.type}')
    cfg.optim_wrapper.type = 'AmpOptimWrapper'
    cfg.optim_wrapper.loss_scale = 'dynamic'


def main() -> None:
    args = parse_args()
    set_local_rank_env(args.local_rank)
    cfg = Config.fromfile(args.config)
    apply_common_options(cfg, args.config, args.work_dir, args.launcher,
                         args.cfg_options)
    if args.amp:
        enable_amp(cfg)
    if args.resume:
        cfg.resume = True
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise RuntimeError('--auto-scale-lr needs "auto_scale_lr" with '
                               '"base_batch_size" in the config')
        cfg.auto_scale_lr.enable = True
    try:
        build_runner(cfg).train()
    finally:
        teardown_distributed()


if __name__ == '__main__':
    run_cli(main)
