"""tools/analysis_tools/benchmark_armnet_fps.py on the toy configs, 64 x 64.

Timing asserts are deliberately loose: the tool is run on one thread with a
few repeats, and only positivity and the order of magnitude of the
per-module sum against the whole-model time are checked.
"""
import importlib.util
import json
import sys
from typing import Tuple

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from torch import Tensor, nn

from mmocr.registry import MODELS

from .helpers import REPO_ROOT, run_tool

TOOL = 'tools/analysis_tools/benchmark_armnet_fps.py'
ARMNET_TOY = 'configs/textseg/armnet/armnet_resnet18_8e_toy.py'
FCN_TOY = 'configs/textseg/fcn/fcn_resnet18_8e_toy.py'
TINY = ['--size', '64', '--repeats', '3', '--warmup', '1', '--threads', '1',
        '--device', 'cpu']


def _run(args, monkeypatch):
    return run_tool([TOOL] + args, timeout=300)


def _module_names(result: dict) -> list:
    return [row['module'] for row in result['modules']]


# The toy ARM-Net on its undilated backbone (output stride 32, C2..C5, three
# DPD stages), as configs/textseg/armnet/armnet_resnet50_100e_totaltext_os32.py
# is to the ResNet-50 default.
TOY_OS32 = """_base_ = ['{toy}']
model = dict(
    backbone=dict(strides=(1, 2, 2, 2), dilations=(1, 1, 1, 1),
                  out_indices=(0, 1, 2, 3)),
    decoder=dict(in_channels=[16, 32, 64, 144]))
"""


def test_benchmark_armnet_fps_json(tmp_path, monkeypatch):
    out = tmp_path / 'fps.json'
    os32 = tmp_path / 'armnet_toy_os32.py'
    os32.write_text(TOY_OS32.format(toy=REPO_ROOT / ARMNET_TOY))
    proc = _run(['--armnet-config', ARMNET_TOY, str(os32), '--fcn-config',
                 FCN_TOY, '--json', str(out)] + TINY, monkeypatch)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'ARM-Net / FCN time (this run)' in proc.stdout
    assert 'ARM-Net#2 / ARM-Net time (this run)' in proc.stdout
    assert 'torch threads: 1' in proc.stdout

    results = json.loads(out.read_text())
    assert results['size'] == 64 and results['threads'] == 1
    assert list(results['models']) == ['ARM-Net', 'ARM-Net#2', 'FCN']
    assert results['models']['ARM-Net#2']['config'] == str(os32)
    ratios = results['armnet_time_ratios']
    assert set(ratios) == {'ARM-Net', 'ARM-Net#2'}
    assert ratios['ARM-Net'] == 1 and ratios['ARM-Net#2'] > 0
    # The stride-32 variant has two more DPD stages (C4, C3 fusions).
    assert (results['models']['ARM-Net#2']['params_m'] >
            results['models']['ARM-Net']['params_m'])
    armnet, fcn = results['models']['ARM-Net'], results['models']['FCN']
    # A 'rem' row only when the config's ARM-Net has a REM.
    # The toy ARM-Net has a REM: it gets its own row.
    assert _module_names(armnet) == ['backbone', 'tsm', 'decoder', 'rem',
                                     'head']
    assert _module_names(fcn) == ['backbone', 'head']
    for model in (armnet, fcn):
        assert model['params_m'] > 0
        assert model['total_ms'] > 0 and model['fps'] > 0
        assert all(row['median_ms'] > 0 for row in model['modules'])
        # Same work, timed piecewise: within a generous factor.
        assert 0.3 < model['modules_sum_ms'] / model['total_ms'] < 3
    assert results['armnet_fcn_time_ratio'] > 0


def test_benchmark_armnet_fps_missing_config(tmp_path, monkeypatch, capsys):
    # In process (the import is the slow part of a run): run_cli's one-line
    # error and exit status 1.
    tool = _load_tool()
    monkeypatch.setattr(
        sys, 'argv', [TOOL, '--armnet-config', str(tmp_path / 'nope.py')])
    with pytest.raises(SystemExit) as exit_info:
        tool.run_cli(tool.main)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and 'nope.py' in err
    assert len(err.strip().splitlines()) == 1


class FakeREM(nn.Module):
    """The REM's contract: stride-4 features -> (enhanced, attention)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels, 1, 1)

    def forward(self, feats: Tensor) -> Tuple[Tensor, Tensor]:
        logits = self.conv(feats)
        return feats * (1 + logits.sigmoid()), logits


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        'benchmark_armnet_fps', REPO_ROOT / TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


@pytest.mark.parametrize('rem', ['absent', 'none', 'fake'])
def test_armnet_breakdown_rem_row_only_with_a_rem(rem):
    tool = _load_tool()
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(REPO_ROOT / ARMNET_TOY)).model
    cfg.pop('rem', None)  # the toy model without its REM, if it has one
    model = MODELS.build(cfg)
    if rem == 'absent' and hasattr(model, 'rem'):
        del model.rem
    elif rem == 'none':
        model.rem = None
    elif rem == 'fake':
        model.rem = FakeREM(model.decoder.out_channels)
    model.eval()
    inputs = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        stages = tool.armnet_stages(model, inputs)
        logits = stages[-1][2]()  # the head, on the REM's output if any
    names = ['backbone', 'tsm', 'decoder'] + (
        ['rem'] if rem == 'fake' else []) + ['head']
    assert [name for name, _, _ in stages] == names
    assert logits.shape == (1, 1, 64, 64)
    if rem == 'fake':
        assert stages[3][1] is model.rem


def test_derived_fcn_baseline_shares_the_backbone():
    tool = _load_tool()
    init_default_scope('mmocr')
    armnet_cfg = Config.fromfile(str(REPO_ROOT / ARMNET_TOY)).model
    cfg = tool.derived_fcn_config(str(REPO_ROOT / ARMNET_TOY))
    assert cfg['type'] == 'FCNTextSegmentor'
    assert cfg['backbone'] == armnet_cfg.backbone
    # C2 and C5 of the output-stride-8 ResNet-18 at a quarter width.
    assert cfg['decode_head']['in_channels'] == [16, 128]
    fcn = MODELS.build(cfg).eval()
    with torch.no_grad():  # the head's widths chain with the backbone's
        logits = fcn._forward(torch.randn(1, 3, 64, 64))
    assert logits.shape == (1, 1, 64, 64)
