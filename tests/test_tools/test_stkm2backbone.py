"""tools/model_converters/stkm2backbone.py: STKM backbone -> detectors."""
import importlib.util

import pytest
import torch
from mmdet.models.backbones import ResNet
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.registry import init_default_scope

import mmtextknow  # noqa: F401
from mmtextknow.utils import run_cli
from .helpers import REPO_ROOT, run_tool

TOOL = 'tools/model_converters/stkm2backbone.py'
DBNET_R50 = 'configs/textdet/stkm/dbnet_resnet50-stkm_1200e_icdar2015.py'
PSENET_R50 = 'configs/textdet/stkm/psenet_resnet50-stkm_fpnf_600e_icdar2015.py'


def _load_tool():
    spec = importlib.util.spec_from_file_location('stkm2backbone',
                                                  REPO_ROOT / TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_stkm_checkpoint(path, depth):
    """An mmengine-like checkpoint of an STKM model with a ResNet-DEPTH."""
    torch.manual_seed(depth)
    backbone = ResNet(depth=depth, style='pytorch')
    for p in backbone.parameters():
        p.data.normal_()
    for name, buf in backbone.named_buffers():
        if name.endswith('running_var'):
            buf.uniform_(0.5, 2)
    state_dict = {f'backbone.{k}': v for k, v in backbone.state_dict().items()}
    state_dict.update({
        'neck.lateral_convs.0.conv.weight': torch.randn(4, 4, 1, 1),
        'fusion.attn.in_proj_weight': torch.randn(12, 4),
        'position.embedding.weight': torch.randn(8, 4),
        'decoder.layers.0.linear1.weight': torch.randn(4, 4),
    })
    loss_history = HistoryBuffer()  # as mmengine's CheckpointHook saves it
    loss_history.update(0.5)
    torch.save({
        'meta': {'epoch': 10, 'iter': 100, 'seed': 0},
        'state_dict': state_dict,
        'optimizer': {'state': {}, 'param_groups': []},
        'message_hub': {'log_scalars': {'train/loss': loss_history}},
    }, path)
    return backbone.state_dict()


@pytest.fixture(scope='module')
def r50(tmp_path_factory):
    root = tmp_path_factory.mktemp('stkm_r50')
    ckpt = root / 'epoch_10.pth'
    weights = _fake_stkm_checkpoint(ckpt, depth=50)
    return ckpt, weights, root


def test_export_and_check_dbnet_r50(r50):
    ckpt, weights, root = r50
    out = root / 'out' / 'backbone.pth'
    proc = run_tool([TOOL, str(ckpt), str(out), '--check-config', DBNET_R50])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"kept {len(weights)} 'backbone.' keys; dropped 4" in proc.stdout
    assert 'decoder: 1, fusion: 1, neck: 1, position: 1' in proc.stdout
    assert f'matched: {len(weights)}, missing: 0' in proc.stdout
    assert 'shape mismatched: 0' in proc.stdout
    exported = torch.load(out, map_location='cpu')
    assert set(exported) == {'state_dict', 'meta'}
    assert exported['meta']['source'].endswith('epoch_10.pth')
    assert exported['meta']['source_epoch'] == 10
    assert list(exported['state_dict']) == list(weights)


def test_exported_backbone_initialises_psenet_r50(r50, capsys):
    ckpt, weights, root = r50
    out = root / 'psenet_backbone.pth'
    _load_tool().main([str(ckpt), str(out), '--check-config', PSENET_R50])
    stdout = capsys.readouterr().out
    assert f'matched: {len(weights)}, missing: 0' in stdout
    assert 'OK: all' in stdout

    # What fine-tuning does: init_cfg=Pretrained with the exported file.
    cfg = Config.fromfile(str(REPO_ROOT / PSENET_R50))
    assert cfg.model.backbone.init_cfg.type == 'Pretrained'
    cfg.model.backbone.init_cfg.checkpoint = str(out)
    init_default_scope('mmocr')
    from mmocr.registry import MODELS
    backbone = MODELS.build(cfg.model.backbone)
    backbone.init_weights()
    loaded = backbone.state_dict()
    assert list(loaded) == list(weights)
    for key, value in weights.items():
        assert torch.equal(loaded[key], value), key


@pytest.mark.parametrize('name', ['ctw1500', 'totaltext'])
def test_curved_text_transfers_are_pytorch_style(name):
    """The stride sits where STKM's pre-training had it (3x3 conv)."""
    cfg = Config.fromfile(str(
        REPO_ROOT / f'configs/textdet/stkm/psenet_resnet50-stkm_fpnf_600e_'
        f'{name}.py'))
    assert cfg.model.backbone.style == 'pytorch'


def test_caffe_style_config_is_an_error(r50, tmp_path, capsys):
    ckpt, _, _ = r50
    caffe = tmp_path / 'caffe.py'
    caffe.write_text(f"_base_ = ['{REPO_ROOT / PSENET_R50}']\n"
                     "model = dict(backbone=dict(style='caffe'))\n")
    tool = _load_tool()
    with pytest.raises(SystemExit) as exc:
        run_cli(lambda: tool.main(
            [str(ckpt), str(tmp_path / 'o.pth'), '--check-config',
             str(caffe)]))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "'caffe'-style ResNet" in err and "style='pytorch'" in err
    # a caffe-style pre-training declared with --style: accepted
    tool.main([str(ckpt), str(tmp_path / 'o.pth'), '--check-config',
               str(caffe), '--style', 'caffe'])
    assert 'OK: all' in capsys.readouterr().out


def test_depth18_against_r50_config_is_an_error(tmp_path, capsys):
    ckpt = tmp_path / 'stkm_r18.pth'
    _fake_stkm_checkpoint(ckpt, depth=18)
    out = tmp_path / 'r18_backbone.pth'
    tool = _load_tool()
    with pytest.raises(SystemExit) as exc:
        run_cli(lambda: tool.main(
            [str(ckpt), str(out), '--check-config', DBNET_R50]))
    assert exc.value.code == 1
    captured = capsys.readouterr()
    assert 'missing: layer1.0.conv3.weight' in captured.out
    assert 'shape mismatch: layer1.0.conv1.weight' in captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f'error: {out}: does not fit the backbone of')
    assert 'keys missing' in lines[0] and 'shape-mismatched' in lines[0]


def test_checkpoint_without_backbone_keys(tmp_path, capsys):
    # In-process (a subprocess costs seconds); run_cli is what the tool's
    # __main__ runs, so stderr and the exit code are the user's.
    ckpt = tmp_path / 'not_stkm.pth'
    torch.save({'meta': {}, 'state_dict': {'neck.w': torch.ones(1)}}, ckpt)
    tool = _load_tool()
    with pytest.raises(SystemExit) as exc:
        run_cli(lambda: tool.main([str(ckpt), str(tmp_path / 'out.pth')]))
    assert exc.value.code == 1
    assert capsys.readouterr().err.strip() == (
        f"error: {ckpt}: no 'backbone.' keys (is this an STKM checkpoint?)")
    assert not (tmp_path / 'out.pth').exists()


def test_toy_stkm_exports_into_toy_dbnet_transfer(tmp_path, capsys):
    """The demo's chain: the toy STKM's backbone fits the toy DBNet."""
    init_default_scope('mmocr')
    from mmocr.registry import MODELS
    stkm_cfg = Config.fromfile(
        str(REPO_ROOT / 'configs/pretrain/stkm/stkm_resnet18_fpn_toy.py'))
    stkm = MODELS.build(stkm_cfg.model)
    ckpt = tmp_path / 'epoch_40.pth'
    torch.save({'meta': {'epoch': 40}, 'state_dict': stkm.state_dict()}, ckpt)
    out = tmp_path / 'backbone.pth'
    _load_tool().main([
        str(ckpt), str(out), '--check-config',
        'configs/textdet/stkm/dbnet_resnet18-stkm_fpnc_8e_toy.py'
    ])
    stdout = capsys.readouterr().out
    num_keys = len(stkm.backbone.state_dict())
    assert f'matched: {num_keys}, missing: 0' in stdout
    assert 'shape mismatched: 0' in stdout
