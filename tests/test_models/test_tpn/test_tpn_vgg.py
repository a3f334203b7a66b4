# Copyright (c) mmtextknow contributors. All rights reserved.
"""TPN's stride-8 VGG-16 backbone: layout, stride, channels and loading of
torchvision VGG-16 weights."""
import pytest
import torch
import torchvision
from mmengine.runner.checkpoint import load_checkpoint
from torch import nn

from mmocr.registry import MODELS
from mmtextknow.models.textspot.tpn import (
    VGG16Stride8, convert_vgg16_torchvision_state_dict,
    vgg16_torchvision_key_map)


def test_layout_stride_and_channels():
    m = MODELS.build(dict(type='VGG16Stride8'))
    convs = [x for x in m.modules() if isinstance(x, nn.Conv2d)]
    pools = [x for x in m.modules() if isinstance(x, nn.MaxPool2d)]
    assert len(convs) == 13 and len(pools) == 3
    assert [c.out_channels for c in convs] == [64, 64, 128, 128] + \
        [256] * 3 + [512] * 6
    assert all(c.kernel_size == (3, 3) and c.padding == (1, 1) for c in convs)
    assert all(p.kernel_size == 2 and p.stride == 2 for p in pools)
    assert not any(isinstance(x, nn.BatchNorm2d) for x in m.modules())
    assert m.strides == [2, 4, 4, 8, 8]
    assert m.out_channels == [64, 128, 256, 512, 512]
    with torch.no_grad():
        outs = m(torch.rand(2, 3, 64, 96))
    assert len(outs) == 1 and outs[0].shape == (2, 512, 8, 12)
    assert (outs[0] >= 0).all()  # ends with ReLU


def test_out_indices_and_bn():
    m = VGG16Stride8(with_bn=True, out_indices=(0, 1, 2, 3, 4))
    assert sum(isinstance(x, nn.BatchNorm2d) for x in m.modules()) == 13
    m.eval()
    with torch.no_grad():
        outs = m(torch.rand(1, 3, 64, 96))
    assert [tuple(o.shape[1:]) for o in outs] == [(64, 32, 48),
                                                 (128, 16, 24),
                                                 (256, 16, 24),
                                                 (512, 8, 12), (512, 8, 12)]
    with pytest.raises(AssertionError):
        VGG16Stride8(out_indices=(5, ))


def test_frozen_stages():
    m = VGG16Stride8(frozen_stages=1)
    m.train()
    assert not any(p.requires_grad for p in m.stage1.parameters())
    assert not any(p.requires_grad for p in m.stage2.parameters())
    assert all(p.requires_grad for p in m.stage3.parameters())


@pytest.mark.parametrize('with_bn', [False, True])
def test_key_map_loads_torchvision(with_bn):
    ctor = torchvision.models.vgg16_bn if with_bn else torchvision.models.vgg16
    tv = ctor(weights=None).features
    sd = {f'features.{k}': v for k, v in tv.state_dict().items()}
    key_map = vgg16_torchvision_key_map(with_bn)
    assert len(key_map) == (13 * 7 if with_bn else 26)
    assert set(key_map) == set(sd)
    assert key_map['features.0.weight'] == 'stage1.conv1_1.conv.weight'
    m = VGG16Stride8(with_bn=with_bn, out_indices=(2, 4))
    res = m.load_state_dict(
        convert_vgg16_torchvision_state_dict(sd, with_bn), strict=True)
    assert not res.missing_keys and not res.unexpected_keys
    # Same numbers as torchvision up to (excluding) the first dropped pool.
    tv.eval()
    m.eval()
    x = torch.rand(1, 3, 32, 48)
    with torch.no_grad():
        ref = tv[:(23 if with_bn else 16)](x)
        torch.testing.assert_close(m(x)[0], ref)


def test_pretrained_torchvision_file(tmp_path):
    """init_cfg=Pretrained with a torchvision-format VGG-16 file: features.*
    keys are renamed on load, classifier.* keys are merely unexpected."""
    torch.manual_seed(0)
    tv = torchvision.models.vgg16(weights=None).features
    sd = {f'features.{k}': v for k, v in tv.state_dict().items()}
    # A small stand-in for the (500 MB) classifier weights.
    sd['classifier.0.weight'] = torch.zeros(2, 2)
    path = tmp_path / 'vgg16.pth'
    torch.save(sd, path)
    m = VGG16Stride8(init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    m.init_weights()
    torch.testing.assert_close(m.stage5.conv5_3.conv.weight, tv[28].weight)
    torch.testing.assert_close(m.stage1.conv1_1.conv.bias, tv[0].bias)
    # load_checkpoint directly into the backbone, strict: only the
    # classifier key is unexpected, nothing is missing.
    m2 = VGG16Stride8()
    with pytest.raises(RuntimeError, match='classifier') as err:
        load_checkpoint(m2, str(path), strict=True)
    assert 'Missing' not in str(err.value)
    torch.testing.assert_close(m2.stage3.conv3_2.conv.weight, tv[12].weight)


def test_narrow_vgg_scales_every_stage():
    from mmtextknow.models.textspot.tpn import VGG16Stride8
    model = VGG16Stride8(base_channels=16)
    assert model.out_channels == [16, 32, 64, 128, 128]
    import torch
    assert model(torch.rand(1, 3, 64, 96))[0].shape == (1, 128, 8, 12)
