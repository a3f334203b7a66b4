"""EASTNeck (U-shaped merging) and EASTHead (output ranges)."""
import math

import pytest
import torch
from mmdet.models.backbones import ResNet

from mmtextknow.models.textdet.east import EASTHead, EASTNeck


def test_neck_merges_to_stride_4_on_non_square_inputs():
    backbone = ResNet(depth=18, base_channels=16, out_indices=(0, 1, 2, 3))
    neck = EASTNeck(in_channels=(16, 32, 64, 128), merge_channels=(32, 16, 8),
                    out_channels=8)
    feats = backbone(torch.rand(2, 3, 96, 160))
    out = neck(feats)
    assert out.shape == (2, 8, 24, 40)
    # the paper's widths on ResNet-50 channels
    neck = EASTNeck()
    assert [m.conv.out_channels for m in neck.reduce] == [128, 64, 32]
    assert neck.reduce[0].conv.in_channels == 2048 + 1024
    assert neck.out_conv.conv.out_channels == 32
    with pytest.raises(ValueError, match='merge_channels'):
        EASTNeck(in_channels=(1, 2, 3), merge_channels=(4, 5, 6))


def test_head_output_ranges():
    x = torch.randn(2, 32, 12, 20) * 10
    head = EASTHead(geo_scale=100., module_loss=None, postprocessor=None)
    score, geo = head(x)
    assert score.shape == (2, 1, 12, 20) and geo.shape == (2, 5, 12, 20)
    assert geo[:, :4].min() >= 0 and geo[:, :4].max() <= 100
    assert geo[:, 4].abs().max() <= math.pi / 4
    head = EASTHead(geometry='QUAD', geo_scale=100., module_loss=None,
                    postprocessor=None)
    _, geo = head(x)
    assert geo.shape == (2, 8, 12, 20) and geo.abs().max() <= 100


def test_head_geometry_must_match_loss_and_postprocessor():
    with pytest.raises(ValueError, match='module_loss geometry'):
        EASTHead(geometry='QUAD')
    EASTHead(geometry='QUAD',
             module_loss=dict(type='EASTModuleLoss', geometry='QUAD'),
             postprocessor=dict(type='EASTPostprocessor', geometry='QUAD'))
