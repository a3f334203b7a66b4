"""STKM pre-training starts from ImageNet ResNet-50 (the authors'
``resnet50(True)``) in the paper configs; the toy configs and the
``init_cfg=None`` override build and initialise offline."""
from pathlib import Path

import pytest
import torch
import torchvision
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import get_torchvision_models
from mmocr.registry import MODELS

import mmtextknow  # noqa: F401

STKM_DIR = Path(__file__).resolve().parents[3] / 'configs' / 'pretrain' \
    / 'stkm'
PAPER_CONFIGS = sorted(p.name for p in STKM_DIR.glob('*_synthtext.py'))
TOY_CONFIGS = sorted(p.name for p in STKM_DIR.glob('*_toy.py'))
IMAGENET_R50 = dict(type='Pretrained', checkpoint='torchvision://resnet50')


def _cfg(name: str) -> Config:
    init_default_scope('mmocr')
    return Config.fromfile(str(STKM_DIR / name))


@pytest.fixture
def offline(monkeypatch):
    """No download possible: torch.hub's downloader raises."""

    def no_download(url, *args, **kwargs):
        raise AssertionError(f'tried to download {url}')

    monkeypatch.setattr(torch.hub, 'download_url_to_file', no_download)


def test_paper_configs_start_from_imagenet_resnet50():
    # STKM and its multi-label ablation (Table 1)
    assert len(PAPER_CONFIGS) == 2
    for name in PAPER_CONFIGS:
        backbone = _cfg(name).model.backbone
        assert backbone.depth == 50 and backbone.style == 'pytorch'
        assert backbone.init_cfg == IMAGENET_R50, name


def test_toy_configs_have_random_init(offline):
    assert len(TOY_CONFIGS) == 2
    for name in TOY_CONFIGS:
        cfg = _cfg(name)
        assert cfg.model.backbone.init_cfg is None, name
    MODELS.build(cfg.model.backbone).init_weights()  # nothing loaded


def test_override_initialises_offline(offline):
    """What tests and demos do: ``model.backbone.init_cfg=None``."""
    cfg = _cfg('stkm_resnet50_fpn_10e_synthtext.py')
    cfg.merge_from_dict({'model.backbone.init_cfg': None})
    backbone = MODELS.build(cfg.model.backbone)
    backbone.init_weights()
    assert backbone.conv1.weight.abs().sum() > 0


def test_torchvision_resnet50_is_loaded_from_the_hub_cache(
        tmp_path, monkeypatch, offline):
    """``torchvision://resnet50`` is read from torch.hub's cache: a
    torchvision-format stand-in there is what the paper config's backbone
    starts from, every convolution and BatchNorm of it (``fc`` dropped)."""
    monkeypatch.setattr(torch.hub, '_hub_dir', str(tmp_path))
    torch.manual_seed(0)
    reference = torchvision.models.resnet50(weights=None)
    url = get_torchvision_models()['resnet50']
    (tmp_path / 'checkpoints').mkdir()
    torch.save(reference.state_dict(),
               tmp_path / 'checkpoints' / url.rsplit('/', 1)[-1])

    backbone = MODELS.build(
        _cfg('stkm_resnet50_fpn_10e_synthtext.py').model.backbone)
    backbone.init_weights()
    expected = {
        k: v
        for k, v in reference.state_dict().items() if not k.startswith('fc.')
    }
    loaded = backbone.state_dict()
    assert set(loaded) == set(expected)
    for key, value in expected.items():
        assert torch.equal(loaded[key], value), key
