# Copyright (c) mmtextknow contributors. All rights reserved.
"""Heat maps of a model's encoder features on images (STKM, Fig. 5a).

The heat is the channel L2 norm of the fused encoder map
(``--layer fused``: ``model.extract_feat``, STKM's fused N x C x H x W map)
or of a backbone stage (``--layer c2..c5``, any model with a ``backbone``,
e.g. an MMOCR DBNet), min-max normalised per image and resized to the
original image. Each image gives ``OUT_DIR/<stem>_heatmap.png`` (the
JET-coloured heat blended with the image) and ``OUT_DIR/<stem>_heat.npy``
(the float map in [0, 1], original size). The image goes through the
config's test pipeline without its loading and annotation steps, then the
model's data preprocessor.

Examples::

    python tools/visualizations/encoder_heatmap.py \\
        configs/pretrain/stkm/stkm_resnet18_fpn_toy.py \\
        work_dirs/stkm_resnet18_fpn_toy/epoch_40.pth \\
        data/toy_scenetext/imgs/test --out-dir work_dirs/heat/stkm
    # the same images through a detector's backbone (compare backbones)
    python tools/visualizations/encoder_heatmap.py \\
        configs/textdet/dbnet/dbnet_resnet18_fpnc_8e_toy.py \\
        work_dirs/dbnet_resnet18_fpnc_8e_toy/epoch_8.pth \\
        data/toy_scenetext/imgs/test --out-dir work_dirs/heat/dbnet \\
        --layer c3
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import os
import os.path as osp
from typing import List, Optional, Tuple

from tools.visualizations.overlay_cli import (overlay_tool_parser,
                                             parse_overlay_args)

LAYERS = ('fused', 'c2', 'c3', 'c4', 'c5')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``)."""
    parser = overlay_tool_parser(
        'Heat maps (channel L2 norm) of the encoder features of a model on '
        'images.', 'model config file')
    parser.add_argument(
        '--layer',
        choices=LAYERS,
        default='fused',
        help='fused: model.extract_feat (STKM fused map); c2..c5: the '
        'backbone stage of stride 4..32')
    return parse_overlay_args(parser, argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import cv2
import numpy as np
import torch
from mmcv.transforms import Compose

import mmtextknow  # noqa: F401  (registers components, safe ckpt loading)
from mmtextknow.utils import run_cli
from mmtextknow.visualization.feature_heatmap import (feature_heatmap,
                                                      overlay_heatmap)
from mmtextknow.visualization.model_inputs import (
    ImageSource, build_model, check_files, inference_pipeline_steps,
    list_images, load_config, preprocess_image, valid_feature_size)


def select_feature(model: torch.nn.Module, inputs: torch.Tensor,
                   layer: str) -> torch.Tensor:
    """The ``N x C x H x W`` map of ``layer`` for preprocessed ``inputs``.

    ``'fused'`` is ``model.extract_feat(inputs)`` (the first map when it
    returns several); ``'cK'`` the backbone output of stage ``K - 2``
    (found through the backbone's ``out_indices``).
    """
    if layer == 'fused':
        if not hasattr(model, 'extract_feat'):
            raise ValueError(f'{type(model).__name__} has no extract_feat: '
                             'use --layer c2..c5')
        feat = model.extract_feat(inputs)
    else:
        backbone = getattr(model, 'backbone', None)
        if backbone is None:
            raise ValueError(f'{type(model).__name__} has no backbone for '
                             f'--layer {layer}')
        outs = backbone(inputs)
        if isinstance(outs, torch.Tensor):
            outs = [outs]
        out_indices = list(
            getattr(backbone, 'out_indices', range(len(outs))))
        stage = int(layer[1:]) - 2
        if stage not in out_indices:
            available = ', '.join(f'c{i + 2}' for i in out_indices)
            raise ValueError(f'the backbone does not output {layer} '
                             f'(out_indices give {available})')
        feat = outs[out_indices.index(stage)]
    if isinstance(feat, (list, tuple)):
        feat = feat[0]
    return feat


def heatmap_of_image(model: torch.nn.Module, pipeline: Compose, path: str,
                     img: np.ndarray,
                     layer: str) -> Tuple[np.ndarray, Tuple[int, ...]]:
    """The heat map of one image at its size, and the feature map shape."""
    inputs, valid_hw = preprocess_image(model, pipeline, path, img)
    with torch.no_grad():
        feat = select_feature(model, inputs, layer)[0]
    # keep the part of the map over the image, not over the padding
    h, w = valid_feature_size(feat.shape[-2:], valid_hw, inputs.shape[-2:])
    return feature_heatmap(feat[:, :h, :w], img.shape[:2]), tuple(feat.shape)


def main(argv: Optional[List[str]] = None) -> None:
    """Write ``<stem>_heatmap.png`` and ``<stem>_heat.npy`` per image."""
    args = parse_args(argv)
    check_files(args.config, args.checkpoint)
    images, is_dir = list_images(args.inputs)
    cfg = load_config(args.config, args.cfg_options)
    steps, color_type = inference_pipeline_steps(cfg)
    # a single unreadable image fails before the model is built
    source = ImageSource(images, is_dir, color_type)
    model = build_model(cfg, args.checkpoint, args.device)
    pipeline = Compose(steps)

    os.makedirs(args.out_dir, exist_ok=True)
    for path, img in source:
        heat, shape = heatmap_of_image(model, pipeline, path, img,
                                       args.layer)
        stem = osp.splitext(osp.basename(path))[0]
        out_png = osp.join(args.out_dir, f'{stem}_heatmap.png')
        np.save(osp.join(args.out_dir, f'{stem}_heat.npy'), heat)
        cv2.imwrite(out_png, overlay_heatmap(img, heat, args.alpha))
        print(f'{path}: {args.layer} {"x".join(map(str, shape))} -> '
              f'{out_png}')
    if is_dir:
        print(source.summary(args.out_dir))


if __name__ == '__main__':
    run_cli(main)
