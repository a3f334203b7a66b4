# Copyright (c) mmtextknow contributors. All rights reserved.
"""Export the ResNet backbone of an STKM pre-training checkpoint.

Keeps the ``backbone.*`` weights (prefix stripped) and drops the FPN neck,
fusion, position and decoder weights. The result loads into MMOCR's
(MMDetection's) ``ResNet`` via
``init_cfg=dict(type='Pretrained', checkpoint=OUT_CKPT)``.

Example::

    python tools/model_converters/stkm2backbone.py \\
        work_dirs/stkm_resnet50_fpn_10e_synthtext/epoch_10.pth \\
        checkpoints/stkm_resnet50_synthtext_backbone.pth \\
        --check-config \\
        configs/textdet/stkm/dbnet_resnet50-stkm_1200e_icdar2015.py
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import os
import os.path as osp
from typing import List, Optional


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Export the backbone of an STKM pre-training checkpoint '
        'as a checkpoint for init_cfg=dict(type="Pretrained", ...).')
    parser.add_argument('stkm_ckpt', help='STKM pre-training checkpoint')
    parser.add_argument('out_ckpt', help='output backbone checkpoint')
    parser.add_argument(
        '--prefix',
        default='backbone.',
        help='prefix of the backbone keys; default: %(default)s')
    parser.add_argument(
        '--check-config',
        default=None,
        metavar='DETECTOR_CONFIG',
        help='build the backbone of this detector config, load the exported '
        'weights into it and fail if any backbone key is missing or has '
        'another shape, or if its ResNet style differs from --style')
    parser.add_argument(
        '--style',
        default='pytorch',
        choices=('pytorch', 'caffe'),
        help='ResNet style the backbone was pre-trained with (all STKM '
        "configs: 'pytorch', stride in the 3x3 conv); default: %(default)s")
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import torch
from mmdet.models.backbones.resnet import Bottleneck
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmtextknow  # noqa: F401  (registers components, safe ckpt loading)
from mmtextknow.models.pretrain.stkm.export import (
    check_backbone_loads, extract_backbone_state_dict, load_stkm_checkpoint)
from mmtextknow.utils import DataError, run_cli


def _format_counts(counts: dict) -> str:
    return ', '.join(f'{name}: {n}' for name, n in sorted(counts.items()))


def check_config(config: str,
                 state_dict: dict,
                 out_ckpt: str,
                 style: str = 'pytorch') -> None:
    """Load ``state_dict`` into the backbone of ``config``; print a report.

    Raises:
        DataError: If a backbone key is missing or shape-mismatched, or the
            config's Bottleneck ResNet has another style than ``style``: the
            weights would load (the shapes are the same) but the stride
            would sit in another convolution than during pre-training.
    """
    if not osp.isfile(config):
        raise FileNotFoundError(f'{config}: config not found')
    cfg = Config.fromfile(config)
    backbone_cfg = cfg.get('model', {}).get('backbone')
    if backbone_cfg is None:
        raise DataError(f'{config}: no model.backbone in the config')
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    from mmocr.registry import MODELS
    backbone = MODELS.build(backbone_cfg)
    # The style only moves the stride of mmdet's Bottleneck (ResNet-50 and
    # deeper); BasicBlock ResNets (18, 34) are the same in both styles.
    config_style = getattr(backbone, 'style', style)
    if isinstance(getattr(backbone, 'block', None), type) and issubclass(
            backbone.block, Bottleneck) and config_style != style:
        raise DataError(
            f'{config}: the backbone is a {config_style!r}-style ResNet, the '
            f'exported weights are {style!r}-style (stride in the '
            f'{"3x3" if style == "pytorch" else "1x1"} conv); set '
            f"model.backbone.style='{style}' in the config")
    report = check_backbone_loads(backbone, state_dict)
    print(f'check against the backbone of {config} '
          f'({backbone_cfg.get("type")}):')
    print(report.summary())
    if not report.ok:
        first = (report.missing[0]
                 if report.missing else report.mismatched[0][0])
        raise DataError(
            f'{out_ckpt}: does not fit the backbone of {config}: '
            f'{len(report.missing)} keys missing, {len(report.mismatched)} '
            f'shape-mismatched (first: {first}); wrong depth/architecture?')
    print(f'OK: all {len(report.matched)} backbone keys of {config} load')


def main(argv: Optional[List[str]] = None) -> None:
    """Export the backbone and, with ``--check-config``, check it loads.

    Args:
        argv (list[str], optional): Arguments; defaults to ``sys.argv[1:]``.
    """
    args = parse_args(argv)
    ckpt = load_stkm_checkpoint(args.stkm_ckpt)
    kept, dropped = extract_backbone_state_dict(ckpt['state_dict'],
                                                args.prefix)
    if not kept:
        raise DataError(f"{args.stkm_ckpt}: no '{args.prefix}' keys "
                        '(is this an STKM checkpoint?)')
    meta = {'source': osp.abspath(args.stkm_ckpt), 'prefix': args.prefix}
    src_meta = ckpt.get('meta') or {}
    for key in ('epoch', 'iter'):
        if isinstance(src_meta.get(key), int):
            meta[f'source_{key}'] = src_meta[key]
    out_dir = osp.dirname(osp.abspath(args.out_ckpt))
    os.makedirs(out_dir, exist_ok=True)
    torch.save({'state_dict': kept, 'meta': meta}, args.out_ckpt)
    print(f'kept {len(kept)} {args.prefix!r} keys; dropped '
          f'{sum(dropped.values())} ({_format_counts(dropped) or "none"})')
    print(f'saved {args.out_ckpt}')
    if args.check_config:
        check_config(args.check_config, kept, args.out_ckpt, args.style)


if __name__ == '__main__':
    run_cli(main)
