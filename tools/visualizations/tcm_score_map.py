# Copyright (c) mmtextknow contributors. All rights reserved.
"""TCM's score map, image embedding and visual prompt on images (TCM paper,
Fig. 7: the image embedding I next to the generated visual prompt I~).

Each image goes through the config's test pipeline without its loading and
annotation steps (images need no annotations), then the model's data
preprocessor; then ``model.prompt_maps(model.backbone(inputs)[-1])``. For
each image ``<stem>`` it writes, in ``--out-dir``:

- ``<stem>_score.png``: the score map (the cosine similarity of the pixel
  embeddings with the text embedding, before the temperature), min-max
  normalised per image, resized to the image, JET colours blended with it;
- ``<stem>_image_embedding.png`` and ``<stem>_visual_prompt.png``: the
  per-pixel L2 norm of the dense image embedding I and of the visual
  prompt I~ added to it (zeros when the generator is switched off),
  min-max normalised and blended the same way;
- ``<stem>_tcm_maps.npz``: the raw float32 maps at the feature (C5)
  resolution of the padded input: ``score_map`` (cosine), and
  ``image_embedding_norm`` / ``visual_prompt_norm`` (the L2 norms), with
  ``valid_hw`` (the feature cells over the image, the rest is padding;
  the PNGs show that part only) and ``input_hw`` (the model input size).

Example::

    python tools/visualizations/tcm_score_map.py \\
        configs/textdet/tcm/tcm-dbnet_clip-tiny_fpnc_8e_toy.py \\
        work_dirs/tcm-dbnet_clip-tiny_fpnc_8e_toy/epoch_8.pth \\
        data/toy_scenetext/imgs/test --out-dir work_dirs/tcm_maps
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import os
import os.path as osp
from typing import Dict, List, Optional

from tools.visualizations.overlay_cli import (overlay_tool_parser,
                                             parse_overlay_args)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``)."""
    parser = overlay_tool_parser(
        'TCM score map, image embedding and visual prompt (paper Fig. 7) '
        'on images.', 'TCM model config file')
    return parse_overlay_args(parser, argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import cv2
import numpy as np
import torch
from mmcv.transforms import Compose

import mmtextknow  # noqa: F401  (registers TCM, safe ckpt loading)
from mmtextknow.utils import DataError, run_cli
from mmtextknow.visualization.feature_heatmap import (feature_heatmap,
                                                      overlay_heatmap)
from mmtextknow.visualization.model_inputs import (
    ImageSource, build_model, check_files, inference_pipeline_steps,
    list_images, load_config, preprocess_image, valid_feature_size)

# output suffix -> key of prompt_maps
PNG_MAPS = (('score', 'score_map'), ('image_embedding', 'image_embedding'),
            ('visual_prompt', 'visual_prompt'))


def tcm_maps(model: torch.nn.Module,
             inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
    """``prompt_maps`` of the first image of preprocessed ``inputs``:
    ``score_map`` ``1 x h x w``, ``image_embedding`` and ``visual_prompt``
    ``D x h x w``."""
    with torch.no_grad():
        maps = model.prompt_maps(model.backbone(inputs)[-1])
    return {key: maps[key][0].float().cpu() for _, key in PNG_MAPS}


def heat_of(key: str, feat: torch.Tensor, out_hw) -> np.ndarray:
    """A map in [0, 1] at ``out_hw`` (min-max normalised).

    The score map (one signed channel) is shifted to be non-negative, so
    its L2 norm over the single channel is the map itself: min-max
    normalising that is min-max normalising the cosine.
    """
    if key == 'score_map':
        feat = feat - feat.min()
    return feature_heatmap(feat, out_hw)


def main(argv: Optional[List[str]] = None) -> None:
    """Write the three blended PNGs and the npz per image."""
    args = parse_args(argv)
    check_files(args.config, args.checkpoint)
    images, is_dir = list_images(args.inputs)
    cfg = load_config(args.config, args.cfg_options)
    steps, color_type = inference_pipeline_steps(cfg)
    # a single unreadable image fails before the model is built
    source = ImageSource(images, is_dir, color_type)
    model = build_model(cfg, args.checkpoint, args.device)
    if not hasattr(model, 'prompt_maps'):
        raise DataError(f'{args.config}: the model ({type(model).__name__}) '
                        'has no prompt_maps: not a TCM model')
    pipeline = Compose(steps)

    os.makedirs(args.out_dir, exist_ok=True)
    for path, img in source:
        inputs, valid_hw = preprocess_image(model, pipeline, path, img)
        maps = tcm_maps(model, inputs)
        feat_hw = tuple(maps['score_map'].shape[-2:])
        h, w = valid_feature_size(feat_hw, valid_hw, inputs.shape[-2:])
        stem = osp.splitext(osp.basename(path))[0]
        for suffix, key in PNG_MAPS:
            heat = heat_of(key, maps[key][:, :h, :w], img.shape[:2])
            cv2.imwrite(
                osp.join(args.out_dir, f'{stem}_{suffix}.png'),
                overlay_heatmap(img, heat, args.alpha))
        score = maps['score_map'][0].numpy().astype(np.float32)
        np.savez(
            osp.join(args.out_dir, f'{stem}_tcm_maps.npz'),
            score_map=score,
            image_embedding_norm=maps['image_embedding'].norm(
                dim=0).numpy().astype(np.float32),
            visual_prompt_norm=maps['visual_prompt'].norm(
                dim=0).numpy().astype(np.float32),
            valid_hw=np.array([h, w]),
            input_hw=np.array(inputs.shape[-2:]))
        print(f'{path}: score map {feat_hw[0]}x{feat_hw[1]} (cosine '
              f'{score.min():.3f} .. {score.max():.3f}) -> '
              f'{osp.join(args.out_dir, stem)}_{{score,image_embedding,'
              f'visual_prompt}}.png, {stem}_tcm_maps.npz')
    if is_dir:
        print(source.summary(args.out_dir))


if __name__ == '__main__':
    run_cli(main)
