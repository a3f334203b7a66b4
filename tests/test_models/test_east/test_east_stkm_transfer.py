"""The STKM export (tools/model_converters/stkm2backbone.py) of a real STKM
ResNet-50 model loads into EAST's ResNet-50 with every backbone key, and
the STKM-transfer configs initialise EAST's backbone from it."""
import importlib.util
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS

import mmtextknow  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parents[3]
TOOL = REPO_ROOT / 'tools' / 'model_converters' / 'stkm2backbone.py'
STKM = REPO_ROOT / 'configs' / 'pretrain' / 'stkm' / \
    'stkm_resnet50_fpn_10e_synthtext.py'
EAST_STKM = [
    'configs/textdet/stkm/east_resnet50-stkm_unet_600e_icdar2015.py',
    'configs/textdet/stkm/east_resnet50-stkm_unet_150e_icdar2017.py',
    'configs/textdet/stkm/east_resnet50-stkm_unet_600e_msra-td500.py',
]


def _tool():
    spec = importlib.util.spec_from_file_location('stkm2backbone', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def stkm_checkpoint(tmp_path_factory):
    """A checkpoint of the paper's STKM model (random weights)."""
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(STKM))
    cfg.model.backbone.init_cfg = None
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    for name, p in model.backbone.named_parameters():
        p.data.normal_()
    path = tmp_path_factory.mktemp('stkm') / 'epoch_10.pth'
    torch.save({'meta': {'epoch': 10}, 'state_dict': model.state_dict()},
               path)
    return path, model.backbone.state_dict()


def test_stkm_export_loads_into_east_with_no_missing_key(
        stkm_checkpoint, tmp_path, capsys):
    ckpt, weights = stkm_checkpoint
    out = tmp_path / 'backbone.pth'
    tool = _tool()
    for config in EAST_STKM:
        tool.main([str(ckpt), str(out), '--check-config',
                   str(REPO_ROOT / config)])
        stdout = capsys.readouterr().out
        assert f'matched: {len(weights)}, missing: 0' in stdout, stdout
        assert 'shape mismatched: 0' in stdout
        assert 'OK: all' in stdout

    # Fine-tuning: the config's init_cfg (Pretrained) pointed at the file.
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(REPO_ROOT / EAST_STKM[0]))
    assert cfg.model.backbone.init_cfg.checkpoint == \
        'checkpoints/stkm_resnet50_synthtext_backbone.pth'
    cfg.model.backbone.init_cfg.checkpoint = str(out)
    model = MODELS.build(cfg.model)
    model.init_weights()
    loaded = model.backbone.state_dict()
    assert set(loaded) == set(weights)
    for key, value in weights.items():
        assert torch.equal(loaded[key], value), key


def test_detector_checkpoint_backbone_prefix(tmp_path):
    """The SynthText / PSENet rows read the backbone out of a whole
    detector checkpoint (``prefix='backbone.'``)."""
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(
        REPO_ROOT / 'configs/textdet/stkm/'
        'east_resnet50-synthtext_unet_600e_icdar2015.py'))
    src_cfg = Config.fromfile(str(
        REPO_ROOT / 'configs/textdet/east/'
        'east_resnet50_unet_10e_synthtext.py'))
    src_cfg.model.backbone.init_cfg = None
    torch.manual_seed(1)
    src = MODELS.build(src_cfg.model)
    for p in src.backbone.parameters():
        p.data.normal_()
    path = tmp_path / 'epoch_10.pth'
    torch.save({'meta': {}, 'state_dict': src.state_dict()}, path)
    assert cfg.model.backbone.init_cfg.prefix == 'backbone.'
    cfg.model.backbone.init_cfg.checkpoint = str(path)
    model = MODELS.build(cfg.model)
    model.init_weights()
    for key, value in src.backbone.state_dict().items():
        assert torch.equal(model.backbone.state_dict()[key], value), key


def test_toy_stkm_export_loads_into_the_toy_east_transfer(tmp_path, capsys):
    """The demo-sized pair: the toy STKM (ResNet-18 at 1/4 width) and
    configs/textdet/stkm/east_resnet18-stkm_unet_8e_toy.py."""
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(REPO_ROOT / 'configs/pretrain/stkm/'
                              'stkm_resnet18_fpn_toy.py'))
    model = MODELS.build(cfg.model)
    ckpt = tmp_path / 'epoch_1.pth'
    torch.save({'meta': {}, 'state_dict': model.state_dict()}, ckpt)
    config = (REPO_ROOT / 'configs/textdet/stkm/'
              'east_resnet18-stkm_unet_8e_toy.py')
    _tool().main([str(ckpt), str(tmp_path / 'backbone.pth'),
                  '--check-config', str(config)])
    stdout = capsys.readouterr().out
    n = len(model.backbone.state_dict())
    assert f'matched: {n}, missing: 0' in stdout and 'OK: all' in stdout
