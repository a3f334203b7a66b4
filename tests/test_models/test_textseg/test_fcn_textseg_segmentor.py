"""FCNTextSegmentor and its pipelines, built from the toy config."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmocr.registry import DATASETS, MODELS

import mmtextknow.datasets  # noqa: F401  (registers the transforms)
import mmtextknow.models  # noqa: F401  (registers the models)
from mmtextknow.structures import TextSegDataSample

CONFIG = (Path(__file__).resolve().parents[3] / 'configs' / 'textseg' /
          'fcn' / 'fcn_resnet18_8e_toy.py')


@pytest.fixture(scope='module')
def cfg() -> Config:
    cfg = Config.fromfile(str(CONFIG))
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    return cfg


@pytest.fixture(scope='module')
def model(cfg):
    torch.manual_seed(0)
    return MODELS.build(cfg.model)


def _batch(shapes, has_pixel_mask):
    inputs, samples = [], []
    for (h, w), has_mask in zip(shapes, has_pixel_mask):
        inputs.append(torch.randint(0, 255, (3, h, w), dtype=torch.uint8))
        sample = TextSegDataSample(
            metainfo=dict(
                img_shape=(h, w),
                ori_shape=(2 * h, 2 * w),
                has_pixel_mask=has_mask,
                has_polygon_mask=False))
        mask = torch.zeros(1, h, w, dtype=torch.uint8)
        mask[:, h // 4:h // 2, w // 4:3 * w // 4] = 1
        sample.gt_pixel_mask = PixelData(data=mask)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def test_loss_has_gradients_reaching_the_backbone(model):
    model.train()
    data = model.data_preprocessor(
        _batch([(64, 64), (48, 64)], [True, False]), training=True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_bce', 'loss_dice'}
    for value in losses.values():
        assert value.dim() == 0 and torch.isfinite(value) and value > 0
    model.zero_grad()
    sum(losses.values()).backward()
    grad = model.backbone.conv1.weight.grad
    assert grad is not None and grad.abs().sum() > 0


def test_batch_without_pixel_gt_gives_zero_loss(model):
    model.train()
    data = model.data_preprocessor(
        _batch([(64, 64), (32, 32)], [False, False]), training=True)
    losses = model(**data, mode='loss')
    total = sum(losses.values())
    assert total.item() == 0 and total.requires_grad
    total.backward()  # the step still works


def test_predict_restores_ori_shape(model):
    model.eval()
    data = model.data_preprocessor(
        _batch([(64, 64), (40, 56)], [True, True]), training=False)
    with torch.no_grad():
        samples = model(**data, mode='predict')
    for sample, ori in zip(samples, [(128, 128), (80, 112)]):
        pred = sample.pred_pixel_mask
        assert pred.shape == ori
        assert pred.data.dtype == torch.uint8
        assert set(pred.data.unique().tolist()) <= {0, 1}
        assert ((pred.prob >= 0) & (pred.prob <= 1)).all()
    assert model(data['inputs'], mode='tensor').shape == (2, 1, 64, 64)


def _dataset(cfg, loader: str, data_root: Path):
    dataset_cfg = cfg[loader].dataset.copy()
    dataset_cfg.data_root = str(data_root)
    return DATASETS.build(dataset_cfg)


def test_config_pipelines_on_generated_data(cfg, model, tiny_toy_data):
    train_set = _dataset(cfg, 'train_dataloader', tiny_toy_data)
    packed = train_set[0]
    sample = packed['data_samples']
    assert isinstance(sample, TextSegDataSample)
    assert packed['inputs'].shape == (3, 256, 256)
    assert sample.gt_pixel_mask.shape == sample.gt_polygon_mask.shape \
        == (256, 256)
    assert sample.has_pixel_mask and sample.has_polygon_mask
    assert sample.ori_shape == (128, 128)

    test_set = _dataset(cfg, 'test_dataloader', tiny_toy_data)
    batch = pseudo_collate([test_set[i] for i in range(2)])
    test_sample = batch['data_samples'][0]
    assert batch['inputs'][0].shape == (3, 256, 256)
    # test masks are loaded after the resize: at the original size
    assert test_sample.gt_pixel_mask.shape == test_sample.ori_shape

    model.eval()
    with torch.no_grad():
        outputs = model.test_step(batch)
    assert outputs[0].pred_pixel_mask.shape == test_sample.ori_shape
