# Copyright (c) mmtextknow contributors. All rights reserved.
"""Varying-width RoI pooling: widths, clamping, zero padding, lengths,
equality with direct per-RoI roi_align calls, gradients."""
import pytest
import torch
from mmcv.ops import roi_align

from mmocr.registry import MODELS
from mmtextknow.models.textspot.tpn import VaryingWidthRoIPool, sequence_mask


def _rois():
    # (batch_idx, x1, y1, x2, y2) in pixels on a 2 x 96 x 160 px batch.
    return torch.tensor([
        [0, 10., 20., 74., 36.],  # 64 x 16 -> 32
        [1, 30., 30., 50., 50.],  # square -> 8
        [0, 0., 0., 150., 8.],  # ratio 18.75 -> 150 -> clamp 64
        [1, 40., 10., 41., 60.],  # very tall -> round(0.16) = 0 -> clamp 1
        [0, 5.5, 7.25, 70.3, 40.1],  # arbitrary
        [1, 12., 40., 44., 56.],  # 32 x 16 -> 16
        [0, 100., 50., 132., 66.],  # 32 x 16 -> 16 (shares a group)
    ])


def _feat(requires_grad=False):
    torch.manual_seed(0)
    return torch.randn(2, 4, 12, 20, requires_grad=requires_grad)


def test_sequence_mask():
    m = sequence_mask(torch.tensor([2, 0, 3]), 4)
    assert m.dtype == torch.bool
    assert m.tolist() == [[True, True, False, False], [False] * 4,
                          [True, True, True, False]]
    assert sequence_mask(torch.tensor([1, 3])).shape == (2, 3)


def test_widths_and_clamping():
    pool = MODELS.build(dict(type='VaryingWidthRoIPool'))
    assert pool.out_height == 8 and pool.spatial_scale == 1 / 8
    w = pool.compute_widths(_rois())
    assert w.dtype == torch.long
    assert w[[0, 1, 2, 3, 5, 6]].tolist() == [32, 8, 64, 1, 16, 16]
    assert w[4].item() == round(8 * 64.8 / 32.85)
    w2 = VaryingWidthRoIPool(min_width=4, max_width=20).compute_widths(
        _rois())
    assert w2[[0, 1, 2, 3]].tolist() == [20, 8, 20, 4]


@pytest.mark.parametrize('strategy', ['group', 'single'])
@pytest.mark.parametrize('pad_to_max_width', [False, True])
def test_matches_direct_roi_align(strategy, pad_to_max_width):
    feat, rois = _feat(), _rois()
    pool = VaryingWidthRoIPool(
        strategy=strategy, pad_to_max_width=pad_to_max_width)
    out, lengths = pool(feat, rois)
    assert lengths.dtype == torch.long
    assert lengths.tolist() == pool.compute_widths(rois).tolist()
    t = 64 if pad_to_max_width else int(lengths.max())
    assert out.shape == (7, 4, 8, t)
    tol = dict(rtol=0, atol=0) if strategy == 'group' else dict(
        rtol=1e-5, atol=1e-5)
    for k in range(rois.size(0)):
        w = int(lengths[k])
        ref = roi_align(feat, rois[k:k + 1], (8, w), 1 / 8, 0, 'avg', True)
        torch.testing.assert_close(out[k:k + 1, :, :, :w], ref, **tol)
        assert (out[k, :, :, w:] == 0).all()


def test_sampling_ratio_and_stride():
    feat, rois = _feat(), _rois()
    pool = VaryingWidthRoIPool(out_height=4, stride=4, sampling_ratio=2)
    out, lengths = pool(feat, rois)
    assert lengths[0].item() == 16 and lengths[1].item() == 4
    ref = roi_align(feat, rois[:1], (4, 16), 1 / 4, 2, 'avg', True)
    torch.testing.assert_close(out[:1, :, :, :16], ref, rtol=0, atol=0)
    single = VaryingWidthRoIPool(
        out_height=4, stride=4, sampling_ratio=2, strategy='single')
    torch.testing.assert_close(single(feat, rois)[0], out, rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize('strategy', ['group', 'single'])
def test_gradient_flows(strategy):
    feat = _feat(requires_grad=True)
    out, lengths = VaryingWidthRoIPool(strategy=strategy)(feat, _rois())
    out.sum().backward()
    assert feat.grad is not None and feat.grad.abs().sum() > 0
    assert torch.isfinite(feat.grad).all()
    # Gradient equals that of the per-RoI direct calls.
    feat2 = _feat(requires_grad=True)
    total = sum(
        roi_align(feat2, _rois()[k:k + 1], (8, int(lengths[k])), 1 / 8, 0,
                  'avg', True).sum() for k in range(7))
    total.backward()
    torch.testing.assert_close(feat.grad, feat2.grad, rtol=1e-4, atol=1e-4)


def test_empty_rois():
    out, lengths = VaryingWidthRoIPool()(_feat(), torch.zeros(0, 5))
    assert out.shape == (0, 4, 8, 0) and lengths.shape == (0, )
    out, _ = VaryingWidthRoIPool(pad_to_max_width=True)(_feat(),
                                                        torch.zeros(0, 5))
    assert out.shape == (0, 4, 8, 64)
