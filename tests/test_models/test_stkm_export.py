"""Exporting the backbone of an STKM pre-training state dict."""
import pytest
import torch
from mmdet.models.backbones import ResNet

from mmtextknow.models.pretrain.stkm.export import (
    check_backbone_loads, extract_backbone_state_dict, load_stkm_checkpoint)
from mmtextknow.utils import DataError


def _stkm_state_dict():
    return {
        'backbone.conv1.weight': torch.ones(2),
        'backbone.layer1.0.bn1.running_mean': torch.zeros(2),
        'neck.lateral.0.weight': torch.ones(1),
        'neck.lateral.1.weight': torch.ones(1),
        'fusion.attn.weight': torch.ones(1),
        'position.embed': torch.ones(1),
        'decoder.fc.weight': torch.ones(1),
        'backbone_extra.weight': torch.ones(1),  # not under 'backbone.'
    }


def test_extract_keeps_backbone_keys_stripped_in_order():
    sd = _stkm_state_dict()
    kept, dropped = extract_backbone_state_dict(sd)
    assert list(kept) == ['conv1.weight', 'layer1.0.bn1.running_mean']
    assert kept['conv1.weight'] is sd['backbone.conv1.weight']
    assert dropped == {
        'neck': 2, 'fusion': 1, 'position': 1, 'decoder': 1,
        'backbone_extra': 1
    }


def test_extract_ignores_ddp_module_prefix_and_custom_prefix():
    sd = {'module.backbone.conv1.weight': torch.ones(1),
          'module.neck.w': torch.ones(1)}
    kept, dropped = extract_backbone_state_dict(sd)
    assert list(kept) == ['conv1.weight'] and dropped == {'neck': 1}
    kept, dropped = extract_backbone_state_dict(
        {'encoder.net.conv1.weight': torch.ones(1)}, prefix='encoder.net.')
    assert list(kept) == ['conv1.weight'] and dropped == {}


def test_extract_without_backbone_keys_keeps_nothing():
    kept, dropped = extract_backbone_state_dict({'neck.w': torch.ones(1)})
    assert not kept and dropped == {'neck': 1}
    with pytest.raises(ValueError):
        extract_backbone_state_dict({}, prefix='')


def test_check_backbone_loads_reports_and_loads():
    torch.manual_seed(0)
    src = ResNet(depth=18)
    for p in src.parameters():
        p.data.normal_()
    sd = src.state_dict()
    dst = ResNet(depth=18)
    report = check_backbone_loads(dst, sd)
    assert report.ok and len(report.matched) == len(sd)
    assert not report.missing and not report.unexpected
    assert torch.equal(dst.conv1.weight, src.conv1.weight)

    partial = {k: v for k, v in sd.items()
               if not k.startswith('layer4.') and 'num_batches' not in k}
    partial['conv1.weight'] = torch.zeros(64, 3, 3, 3)
    partial['extra.weight'] = torch.zeros(1)
    report = check_backbone_loads(ResNet(depth=18), partial)
    assert not report.ok
    assert all(k.startswith('layer4.') for k in report.missing)
    assert report.missing_buffers  # absent, but not counted as missing
    assert report.mismatched == [('conv1.weight', (64, 3, 3, 3),
                                  (64, 3, 7, 7))]
    assert report.unexpected == ['extra.weight']
    assert 'shape mismatch: conv1.weight' in report.summary()


def test_load_stkm_checkpoint_forms(tmp_path):
    bare = tmp_path / 'bare.pth'
    torch.save({'backbone.conv1.weight': torch.ones(1)}, bare)
    ckpt = load_stkm_checkpoint(str(bare))
    assert list(ckpt['state_dict']) == ['backbone.conv1.weight']
    bad = tmp_path / 'list.pth'
    torch.save([1, 2], bad)
    with pytest.raises(DataError, match='list.pth: not a checkpoint'):
        load_stkm_checkpoint(str(bad))
    junk = tmp_path / 'junk.pth'
    junk.write_text('not a checkpoint')
    with pytest.raises(DataError, match='junk.pth: cannot load'):
        load_stkm_checkpoint(str(junk))
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_stkm_checkpoint(str(tmp_path / 'nope.pth'))
