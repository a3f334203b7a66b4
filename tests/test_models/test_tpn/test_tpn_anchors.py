# Copyright (c) mmtextknow contributors. All rights reserved.
"""TPN's 24 anchors per position built with mmdet's AnchorGenerator."""
import itertools

import torch

from mmocr.registry import TASK_UTILS
from mmtextknow.models.textspot.tpn import tpn_anchor_generator_cfg


def _wh(anchors):
    return anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]


def test_cfg():
    cfg = tpn_anchor_generator_cfg()
    assert cfg['type'] == 'mmdet.AnchorGenerator'
    assert cfg['strides'] == [8]


def test_anchor_shapes_ratios_sizes_centres():
    gen = TASK_UTILS.build(tpn_anchor_generator_cfg())
    assert gen.num_base_priors == [24]
    feat_h, feat_w = 5, 7
    anchors = gen.grid_priors([(feat_h, feat_w)], device='cpu')
    assert len(anchors) == 1
    anchors = anchors[0]
    assert anchors.shape == (feat_h * feat_w * 24, 4)
    w, h = _wh(anchors)
    ratio, size = w / h, torch.sqrt(w * h)
    assert set(torch.round(ratio).long().tolist()) == {1, 2, 3, 5, 7, 10}
    torch.testing.assert_close(ratio, torch.round(ratio), rtol=1e-4,
                               atol=1e-4)
    assert set(torch.round(size).long().tolist()) == {16, 32, 64, 80}
    torch.testing.assert_close(size, torch.round(size), rtol=1e-4, atol=1e-3)
    # The 24 anchors of a position cover every (ratio, size) pair once.
    base = anchors[:24]
    bw, bh = _wh(base)
    pairs = set(
        zip(torch.round(bw / bh).long().tolist(),
            torch.round(torch.sqrt(bw * bh)).long().tolist()))
    assert pairs == set(itertools.product((1, 2, 3, 5, 7, 10),
                                          (16, 32, 64, 80)))
    # Centres on the stride grid, row-major positions, 24 per position.
    cx = (anchors[:, 0] + anchors[:, 2]) / 2
    cy = (anchors[:, 1] + anchors[:, 3]) / 2
    pos = torch.arange(feat_h * feat_w).repeat_interleave(24)
    torch.testing.assert_close(cx, (pos % feat_w).float() * 8)
    torch.testing.assert_close(cy, (pos // feat_w).float() * 8)


def test_custom_stride_and_scales():
    gen = TASK_UTILS.build(
        tpn_anchor_generator_cfg(ratios=(1, 4), scales=(20, ), stride=16))
    anchors = gen.grid_priors([(2, 3)], device='cpu')[0]
    assert anchors.shape == (2 * 3 * 2, 4)
    w, h = _wh(anchors[:2])
    torch.testing.assert_close(w / h, torch.tensor([1., 4.]))
    torch.testing.assert_close(torch.sqrt(w * h), torch.tensor([20., 20.]))
    torch.testing.assert_close((anchors[2, 0] + anchors[2, 2]) / 2,
                               torch.tensor(16.))
