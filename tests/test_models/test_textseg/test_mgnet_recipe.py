"""MGNet's stage-2 paper recipe (TotalText + IC13-WARP) and its alpha
ablation, built from the configs with their training pipeline, on generated
fully annotated data: eq. 2's indicators are per single-mask pair, so the
CRF loss acts (weights 1 on the branch without a mask) in "Ours" and in
Ours-alpha (no mutual guidance)."""
import copy
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmocr.registry import DATASETS, HOOKS, MODELS

import mmtextknow.datasets  # noqa: F401  (registers the transforms)
import mmtextknow.engine  # noqa: F401  (registers the hooks)
import mmtextknow.models  # noqa: F401  (registers the models)

CONFIG_DIR = (Path(__file__).resolve().parents[3] / 'configs' / 'textseg' /
              'mgnet')
RECIPE = CONFIG_DIR / 'mgnet_vgg_60k_totaltext-ic13warp.py'
ALPHA = CONFIG_DIR / 'mgnet_vgg_60k_totaltext-ic13warp_ablation-alpha.py'
# The losses, the pipeline and the stage logic are the recipe's own; for
# CPU unit-test cost the model has a quarter of Table I's widths and runs on
# a WINDOW x WINDOW window of the recipe's ~512 x 512 training batch.
QUARTER = (16, 32, 64, 128, 128)
WINDOW = 128


def _load(path: Path) -> Config:
    cfg = Config.fromfile(str(path))
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    return cfg


def _model(cfg: Config):
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.encoder.stage_channels = QUARTER
    for name in ('pixel_decoder', 'polygon_decoder'):
        decoder = model_cfg[name]
        decoder.in_channels = QUARTER[-1]
        decoder.guidance_encoder.stage_channels = QUARTER
        decoder.channels = (64, 32, 16, 16)
        decoder.fusion_channels = QUARTER[-1]
    torch.manual_seed(0)
    return MODELS.build(model_cfg)


def _batch(cfg: Config, data_root: Path, n: int = 2) -> dict:
    """n samples of the recipe's TotalText training set (with its training
    pipeline) read from the generated data."""
    datasets = cfg.train_dataloader.dataset.datasets
    assert [d.pipeline for d in datasets].count(datasets[0].pipeline) == 2
    part = datasets[0].copy()
    part.update(data_root=str(data_root), ann_file='textdet_train.json')
    dataset = DATASETS.build(part)
    np.random.seed(0)
    return pseudo_collate([dataset[i] for i in range(n)])


def _window(data: dict, size: int = WINDOW) -> dict:
    """The central size x size window of a preprocessed batch, masks too."""
    height, width = data['inputs'].shape[-2:]
    top, left = (height - size) // 2, (width - size) // 2
    rows, cols = slice(top, top + size), slice(left, left + size)
    for sample in data['data_samples']:
        for field in ('gt_pixel_mask', 'gt_polygon_mask'):
            if field in sample:
                mask = getattr(sample, field).data[..., rows, cols]
                setattr(sample, field, PixelData(data=mask))
    return dict(inputs=data['inputs'][..., rows, cols],
                data_samples=data['data_samples'])


def _switch_to_stage2(cfg: Config, model) -> None:
    """Run the config's own phase-switch hook at its switch iteration."""
    hooks = [HOOKS.build(h) for h in cfg.custom_hooks]
    switch = [h for h in hooks if type(h).__name__ == 'MGNetPhaseSwitchHook']
    assert len(switch) == 1
    runner = type('Runner', (), dict(model=model, iter=switch[0].switch_iter,
                                     epoch=0))()
    switch[0].before_train_iter(runner, 0)
    assert model.stage2


@pytest.fixture(scope='module')
def recipe_cfg():
    return _load(RECIPE)


def _stage2_losses(cfg, data_root):
    model = _model(cfg)
    model.train()
    _switch_to_stage2(cfg, model)
    data = _window(
        model.data_preprocessor(_batch(cfg, data_root), training=True))
    samples = data['data_samples']
    shape = data['inputs'].shape[-2:]
    _, has_pixel = model.stack_gt_masks(samples, 'gt_pixel_mask', shape,
                                        'cpu')
    _, has_polygon = model.stack_gt_masks(samples, 'gt_polygon_mask', shape,
                                          'cpu')
    with torch.no_grad():
        losses = model.loss(data['inputs'], samples)
    return model, has_pixel, has_polygon, losses


def test_recipe_pipeline_gives_single_mask_pairs_and_crf_weights(
        recipe_cfg, tiny_toy_data):
    # The generated data carry both masks (as TotalText / IC13-WARP do).
    batch = _batch(recipe_cfg, tiny_toy_data, n=6)
    crf_weights = []
    for sample in batch['data_samples']:
        assert sample.has_pixel_mask != sample.has_polygon_mask
        assert sample.gt_pixel_mask.shape == sample.img_shape[:2]
        crf_weights += [not sample.has_pixel_mask,
                        not sample.has_polygon_mask]
    # 1 - l_kappa: one branch per sample without ground truth.
    assert sum(crf_weights) == 6


def test_recipe_stage2_crf_loss_acts(recipe_cfg, tiny_toy_data):
    model, has_pixel, has_polygon, losses = _stage2_losses(
        recipe_cfg, tiny_toy_data)
    assert model.mutual_guidance
    crf_weights = torch.cat([~has_pixel, ~has_polygon])
    assert crf_weights.any() and set(crf_weights.tolist()) <= {True, False}
    assert set(losses) == {
        'loss_iou_pixel', 'loss_iou_polygon', 'loss_subset', 'loss_crf'
    }
    assert losses['loss_crf'] > 0 and losses['loss_subset'] > 0
    assert all(torch.isfinite(v) for v in losses.values())


def test_alpha_ablation_keeps_subset_and_crf_without_guidance(
        recipe_cfg, tiny_toy_data):
    cfg = _load(ALPHA)
    # Same schedule as "Ours": the switch and the lr drop stay.
    assert cfg.custom_hooks == recipe_cfg.custom_hooks
    assert cfg.param_scheduler == recipe_cfg.param_scheduler
    model, _, _, losses = _stage2_losses(cfg, tiny_toy_data)
    assert model.stage2 and not model.mutual_guidance
    assert set(losses) == {
        'loss_iou_pixel', 'loss_iou_polygon', 'loss_subset', 'loss_crf'
    }
    assert losses['loss_crf'] > 0 and losses['loss_subset'] > 0
