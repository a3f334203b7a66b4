"""The paper configs start from ImageNet VGG-16 (``torchvision://vgg16``);
the toy config and ``init_cfg=None`` overrides build and initialise
offline."""
from pathlib import Path

import pytest
import torch
import torchvision
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS

import mmtextknow  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parents[3]
TPN_DIR = REPO_ROOT / 'configs' / 'textspot' / 'tpn'
PAPER_CONFIGS = sorted(p.name for p in TPN_DIR.glob('tpn_vgg16_*.py'))
TOY = 'tpn_vgg16-x0.25_12e_toy.py'
IMAGENET_VGG16 = dict(type='Pretrained', checkpoint='torchvision://vgg16')


def _cfg(name: str) -> Config:
    init_default_scope('mmocr')
    return Config.fromfile(str(TPN_DIR / name))


@pytest.fixture
def offline(monkeypatch):
    """No download possible: torch.hub's downloader raises."""

    def no_download(url, *args, **kwargs):
        raise AssertionError(f'tried to download {url}')

    monkeypatch.setattr(torch.hub, 'download_url_to_file', no_download)


def test_there_are_paper_configs():
    assert len(PAPER_CONFIGS) >= 4


@pytest.mark.parametrize('name', PAPER_CONFIGS)
def test_paper_configs_start_from_imagenet_vgg16(name):
    backbone = _cfg(name).model.backbone
    assert backbone.type == 'VGG16Stride8'
    assert backbone.base_channels == 64  # the width the weights fit
    assert backbone.init_cfg == IMAGENET_VGG16


def test_toy_config_has_random_init(offline):
    cfg = _cfg(TOY)
    assert cfg.model.backbone.init_cfg is None
    model = MODELS.build(cfg.model)
    model.init_weights()  # Kaiming, nothing loaded


def test_paper_config_with_the_override_initialises_offline(offline):
    """What tests and demos do: ``model.backbone.init_cfg=None``."""
    cfg = _cfg('tpn_vgg16_80k_synthwords.py')
    cfg.merge_from_dict({'model.backbone.init_cfg': None})
    assert cfg.model.backbone.init_cfg is None
    backbone = MODELS.build(cfg.model.backbone)
    backbone.init_weights()
    assert backbone.stage1.conv1_1.conv.weight.abs().sum() > 0


def test_torchvision_vgg16_resolves_to_the_hub_file(tmp_path, monkeypatch,
                                                   offline):
    """``torchvision://vgg16`` is torchvision's ImageNet VGG-16 URL, read
    from torch.hub's cache when the file is there: a torchvision-format
    stand-in (``features.*`` + a small ``classifier`` key) in the cache is
    what the paper config's backbone starts from, renamed to its layers."""
    monkeypatch.setattr(torch.hub, '_hub_dir', str(tmp_path))
    torch.manual_seed(0)
    features = torchvision.models.vgg16(weights=None).features
    state = {f'features.{k}': v for k, v in features.state_dict().items()}
    state['classifier.6.bias'] = torch.zeros(3)
    url = torchvision.models.VGG16_Weights.IMAGENET1K_V1.url
    (tmp_path / 'checkpoints').mkdir()
    torch.save(state, tmp_path / 'checkpoints' / url.rsplit('/', 1)[-1])

    backbone = MODELS.build(_cfg('tpn_vgg16_80k_synthwords.py')
                            .model.backbone)
    backbone.init_weights()
    torch.testing.assert_close(backbone.stage1.conv1_1.conv.weight,
                               features[0].weight)
    torch.testing.assert_close(backbone.stage4.conv4_1.conv.bias,
                               features[17].bias)
    torch.testing.assert_close(backbone.stage5.conv5_3.conv.weight,
                               features[28].weight)
