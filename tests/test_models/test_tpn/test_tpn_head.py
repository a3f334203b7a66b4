# Copyright (c) mmtextknow contributors. All rights reserved.
"""TPNHead: rectangular-filter RPN head with hard negative mining."""
import copy
from pathlib import Path

import pytest
import torch
from mmdet.models.task_modules.samplers import PseudoSampler, RandomSampler
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope
from mmengine.structures import InstanceData

from mmocr.registry import MODELS
from mmtextknow.models.textspot.tpn.tpn_head import (TPNHead,
                                                     select_hard_examples)

BASE_CFG = (Path(__file__).resolve().parents[3] / 'configs' / 'textspot' /
            'tpn' / '_base_tpn_vgg16.py')
#: The paper's TPN head, as the curriculum configs build it.
PAPER_HEAD = Config.fromfile(str(BASE_CFG)).model.tpn_head.to_dict()

FEAT_H, FEAT_W = 8, 12
IMG_SHAPE = (FEAT_H * 8, FEAT_W * 8)


@pytest.fixture(autouse=True)
def _mmocr_scope():
    init_default_scope('mmocr')
    yield


def _build(**overrides) -> TPNHead:
    torch.manual_seed(0)
    head = MODELS.build({**copy.deepcopy(PAPER_HEAD), **overrides})
    head.init_weights()
    return head


def _metas(n=1):
    return [dict(img_shape=IMG_SHAPE, pad_shape=IMG_SHAPE,
                 scale_factor=(1., 1.)) for _ in range(n)]


def _gts(n=1):
    return [
        InstanceData(
            bboxes=torch.tensor([[10., 20., 60., 36.], [5., 5., 40., 20.]]),
            labels=torch.zeros(2, dtype=torch.long)) for _ in range(n)
    ]


def test_build_in_mmocr_scope_and_forward_shapes():
    head = _build()
    assert isinstance(head, TPNHead)
    assert DefaultScope.get_current_instance().scope_name == 'mmocr'
    assert head.num_base_priors == 24
    assert isinstance(head.sampler, PseudoSampler)
    assert (head.hnm_num, head.hnm_pos_fraction) == (256, 0.5)
    x = torch.randn(2, 512, FEAT_H, FEAT_W)
    cls_scores, bbox_preds = head((x, ))
    assert len(cls_scores) == len(bbox_preds) == 1
    assert cls_scores[0].shape == (2, 24, FEAT_H, FEAT_W)
    assert bbox_preds[0].shape == (2, 96, FEAT_H, FEAT_W)


def test_rect_kernels_shapes_and_fusion():
    head = _build()
    # (width, height) -> Conv2d kernel_size (height, width).
    shapes = [tuple(c.kernel_size) for c in head.rpn_convs]
    assert shapes == [(3, 3), (3, 5), (1, 3)]
    assert [tuple(c.padding) for c in head.rpn_convs] == [(1, 1), (1, 2),
                                                          (0, 1)]
    assert [tuple(c.weight.shape[2:]) for c in head.rpn_convs] == shapes
    assert head.rpn_cls.in_channels == 3 * 512
    assert head.rpn_reg.out_channels == 96

    head = _build(
        rect_kernels=[(7, 1), (1, 3)], fusion='sum', feat_channels=32)
    assert [tuple(c.kernel_size)
            for c in head.rpn_convs] == [(1, 7), (3, 1)]
    assert head.rpn_cls.in_channels == 32
    cls, reg = head((torch.randn(1, 512, FEAT_H, FEAT_W), ))
    assert cls[0].shape == (1, 24, FEAT_H, FEAT_W)
    assert reg[0].shape == (1, 96, FEAT_H, FEAT_W)

    with pytest.raises(AssertionError):
        _build(rect_kernels=[(4, 3)])


@pytest.mark.parametrize('hnm', [True, False])
def test_loss_finite_and_gradient(hnm):
    head = _build(hard_negative_mining=hnm, feat_channels=64)
    assert isinstance(head.sampler,
                      PseudoSampler if hnm else RandomSampler)
    x = torch.randn(2, 512, FEAT_H, FEAT_W, requires_grad=True)
    cls_scores, bbox_preds = head((x, ))
    losses = head.loss_by_feat(cls_scores, bbox_preds, _gts(2), _metas(2))
    assert set(losses) == {'loss_tpn_cls', 'loss_tpn_bbox'}
    total = sum(v[0] for v in losses.values())
    for v in losses.values():
        assert torch.isfinite(v[0]) and v[0] > 0
    total.backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    for conv in head.rpn_convs:
        assert conv.weight.grad.abs().sum() > 0
    assert head.rpn_reg.weight.grad.abs().sum() > 0


def test_loss_no_gt():
    head = _build(feat_channels=64)
    cls, reg = head((torch.randn(1, 512, FEAT_H, FEAT_W), ))
    empty = InstanceData(
        bboxes=torch.zeros(0, 4), labels=torch.zeros(0, dtype=torch.long))
    losses = head.loss_by_feat(cls, reg, [empty], _metas())
    assert torch.isfinite(losses['loss_tpn_cls'][0])
    assert losses['loss_tpn_cls'][0] > 0
    assert losses['loss_tpn_bbox'][0] == 0


def test_select_hard_examples_picks_highest_loss_negatives():
    n_anchors = 50
    losses = torch.rand(2, n_anchors) * 0.1
    pos_mask = torch.zeros(2, n_anchors, dtype=torch.bool)
    neg_mask = torch.ones(2, n_anchors, dtype=torch.bool)
    pos_mask[0, [1, 2, 3]] = True
    neg_mask[0, [1, 2, 3]] = False
    neg_mask[:, 49] = False  # ignored anchor, even with a high loss
    losses[:, 49] = 100.
    hard = {0: [10, 20, 30, 40, 45], 1: [0, 7, 8, 9, 11, 12, 13, 33]}
    for i, inds in hard.items():
        losses[i, inds] = 5. + torch.rand(len(inds))
    pos_keep, neg_keep = select_hard_examples(
        losses, pos_mask, neg_mask, num=8, pos_fraction=0.5)
    assert pos_keep[0].nonzero().squeeze(1).tolist() == [1, 2, 3]
    assert not pos_keep[1].any()
    # 8 - 3 positives -> exactly the 5 hard negatives; 8 in image 1.
    assert neg_keep[0].nonzero().squeeze(1).tolist() == hard[0]
    assert neg_keep[1].nonzero().squeeze(1).tolist() == hard[1]

    # Surplus positives are capped at num * pos_fraction.
    pos_mask = torch.zeros(1, n_anchors, dtype=torch.bool)
    pos_mask[0, :10] = True
    pos_keep, neg_keep = select_hard_examples(
        losses[:1], pos_mask, ~pos_mask, num=8, pos_fraction=0.5)
    assert int(pos_keep.sum()) == 4 and int(neg_keep.sum()) == 4
    assert not (pos_keep & ~pos_mask).any()


@pytest.mark.parametrize('with_gt', [False, True])
def test_hard_negative_mining_in_loss_uses_top_logit_negatives(
        monkeypatch, with_gt):
    """Inside the head, the negatives with the highest textness logits are
    the ones given a non-zero label weight."""
    import mmtextknow.models.textspot.tpn.tpn_head as mod
    head = _build(feat_channels=16)
    x = torch.randn(1, 512, FEAT_H, FEAT_W)
    _, reg = head((x, ))
    cls = torch.full((1, 24, FEAT_H, FEAT_W), -5., requires_grad=False)
    # Anchors far from the gt (bottom-right positions) get very high logits.
    hot = [(k, 7, 11) for k in range(0, 24, 3)] + [(0, 6, 10), (1, 6, 10)]
    for k, i, j in hot:
        cls[0, k, i, j] = 10. + k
    hot_flat = sorted((i * FEAT_W + j) * 24 + k for k, i, j in hot)

    captured = {}
    orig = mod.select_hard_examples

    def spy(*args, **kwargs):
        out = orig(*args, **kwargs)
        captured['keep'] = out
        return out

    monkeypatch.setattr(mod, 'select_hard_examples', spy)
    if with_gt:
        head.hnm_num = 20
        gts = [
            InstanceData(
                bboxes=torch.tensor([[0., 0., 40., 16.]]),
                labels=torch.zeros(1, dtype=torch.long))
        ]
    else:
        head.hnm_num = len(hot)
        gts = [
            InstanceData(
                bboxes=torch.zeros(0, 4),
                labels=torch.zeros(0, dtype=torch.long))
        ]
    losses = head.loss_by_feat([cls], reg, gts, _metas())
    assert torch.isfinite(losses['loss_tpn_cls'][0])
    pos_keep, neg_keep = captured['keep']
    n_pos = int(pos_keep.sum())
    mined = neg_keep[0].nonzero().squeeze(1).tolist()
    assert n_pos + len(mined) == head.hnm_num
    if with_gt:
        assert 1 <= n_pos <= 10
        assert set(hot_flat) <= set(mined)
    else:
        assert n_pos == 0
        assert mined == hot_flat


def test_predict_by_feat_and_predict():
    head = _build(
        feat_channels=32,
        test_cfg=dict(
            nms_pre=300,
            max_per_img=20,
            nms=dict(type='nms', iou_threshold=0.7),
            min_bbox_size=0))
    head.eval()
    x = torch.randn(2, 512, FEAT_H, FEAT_W)
    with torch.no_grad():
        cls, reg = head((x, ))
        results = head.predict_by_feat(
            cls, reg, batch_img_metas=_metas(2), rescale=False)
    assert len(results) == 2
    for res in results:
        assert res.bboxes.shape[1] == 4
        assert 0 < len(res.bboxes) <= 20
        assert res.scores.shape == (len(res.bboxes), )
        assert (res.scores[:-1] >= res.scores[1:]).all()

    samples = [DetDataSample(metainfo=m) for m in _metas(2)]
    with torch.no_grad():
        results = head.predict((x, ), samples, rescale=False)
    assert len(results) == 2
    assert all(0 < len(r.bboxes) <= 20 for r in results)
