# Copyright (c) mmtextknow contributors. All rights reserved.
"""Tests of TCM's instance-language matching (score map and loss)."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from mmtextknow.models.textdet.tcm.instance_matching import \
    InstanceLanguageMatching


def test_score_map_is_cosine_similarity():
    torch.manual_seed(0)
    ilm = InstanceLanguageMatching()
    dense = torch.randn(2, 32, 3, 4)
    text = torch.randn(2, 1, 32)
    score = ilm.score_map(dense, text)
    assert score.shape == (2, 1, 3, 4)
    expected = torch.empty(2, 1, 3, 4)
    for b in range(2):
        for i in range(3):
            for j in range(4):
                p, t = dense[b, :, i, j], text[b, 0]
                expected[b, 0, i, j] = (p @ t) / (p.norm() * t.norm())
    torch.testing.assert_close(score, expected)
    assert score.min() >= -1 and score.max() <= 1
    torch.testing.assert_close(ilm(dense, text), score)
    # K x D text shared by the batch, several texts
    shared = torch.randn(3, 32)
    torch.testing.assert_close(
        ilm.score_map(dense, shared),
        ilm.score_map(dense, shared.expand(2, -1, -1)))
    # a pixel equal to (a multiple of) the text scores 1
    dense[0, :, 0, 0] = 2.5 * text[0, 0]
    assert ilm.score_map(dense, text)[0, 0, 0, 0] == pytest.approx(1.0)


def _hand_loss(logits, target, mask, k_neg):
    """Balanced BCE computed directly on flat 1-D tensors."""
    losses = F.binary_cross_entropy_with_logits(
        logits, target, reduction='none')
    pos = losses[(target == 1) & (mask == 1)]
    neg = losses[(target == 0) & (mask == 1)].sort(descending=True)[0]
    neg = neg[:k_neg]
    return (pos.sum() + neg.sum()) / (len(pos) + len(neg))


def test_loss_hard_negatives_and_mask():
    tau = 0.07
    ilm = InstanceLanguageMatching(tau=tau)
    H = W = 4
    # distinct scores; no upsampling (the target has the map's size)
    score = torch.linspace(-0.9, 0.9, H * W).reshape(1, 1, H, W)
    target = torch.zeros(1, H, W)
    target[0, 0, 0] = 1  # one positive (the lowest score: a hard one)
    mask = torch.ones(1, H, W)
    loss = ilm.loss(score, target, mask)
    logits = score.flatten() / tau
    expected = _hand_loss(logits, target.flatten(), mask.flatten(), 3)
    torch.testing.assert_close(loss, expected)
    # the 3 hardest negatives are the 3 highest scores
    bce = F.binary_cross_entropy_with_logits(
        logits, target.flatten(), reduction='none')
    top3 = bce[-3:].sum()
    torch.testing.assert_close(loss, (bce[0] + top3) / 4)

    # masking out the hardest negatives: the next ones are taken
    mask2 = mask.clone()
    mask2[0, H - 1, W - 1] = 0
    mask2[0, H - 1, W - 2] = 0
    loss2 = ilm.loss(score, target, mask2)
    torch.testing.assert_close(loss2, (bce[0] + bce[-5:-2].sum()) / 4)
    # a masked-out pixel's value does not matter
    score3 = score.clone()
    score3[0, 0, H - 1, W - 1] = -0.99
    score3[0, 0, H - 1, W - 2] = 0.99
    torch.testing.assert_close(ilm.loss(score3, target, mask2), loss2)
    # a masked-out positive is ignored: no positive left -> fallback
    mask4 = mask.clone()
    mask4[0, 0, 0] = 0
    expected4 = bce[1:].mean()  # 15 negatives < 100: all of them
    torch.testing.assert_close(ilm.loss(score, target, mask4), expected4)


def test_loss_weight_and_no_mask():
    score = torch.randn(2, 1, 4, 4).clamp(-1, 1)
    target = (torch.rand(2, 4, 4) > 0.7).float()
    target[0, 0, 0] = 1
    base = InstanceLanguageMatching().loss(score, target,
                                           torch.ones(2, 4, 4))
    weighted = InstanceLanguageMatching(loss_weight=2.5).loss(
        score, target, torch.ones(2, 4, 4))
    torch.testing.assert_close(weighted, 2.5 * base)
    torch.testing.assert_close(
        InstanceLanguageMatching().loss(score, target), base)


def test_loss_upsamples_bilinearly():
    torch.manual_seed(0)
    ilm = InstanceLanguageMatching(tau=0.1)
    score = torch.rand(2, 1, 3, 3) * 2 - 1
    target = (torch.rand(2, 12, 12) > 0.8).float()
    target[1, 5, 5] = 1
    mask = (torch.rand(2, 12, 12) > 0.1).float()
    loss = ilm.loss(score, target, mask)
    logits = F.interpolate(
        score / 0.1, size=(12, 12), mode='bilinear', align_corners=False)
    n_pos = int((target * mask).sum())
    expected = _hand_loss(logits.flatten(), target.flatten(), mask.flatten(),
                          3 * n_pos)
    torch.testing.assert_close(loss, expected)


def test_loss_no_positive_fallback():
    ilm = InstanceLanguageMatching(fallback_negative_num=5)
    score = torch.linspace(-0.5, 0.5, 16).reshape(1, 1, 4, 4)
    target = torch.zeros(1, 4, 4)
    bce = F.binary_cross_entropy_with_logits(
        score.flatten() / 0.07, target.flatten(), reduction='none')
    torch.testing.assert_close(ilm.loss(score, target), bce[-5:].mean())


def test_loss_gradient_and_registry():
    ilm = MODELS.build(dict(type='InstanceLanguageMatching', tau=0.07))
    dense = torch.randn(1, 32, 2, 2, requires_grad=True)
    text = torch.randn(1, 1, 32, requires_grad=True)
    target = torch.zeros(1, 8, 8)
    target[0, :4, :4] = 1
    loss = ilm.loss(ilm.score_map(dense, text), target, torch.ones(1, 8, 8))
    assert loss.dim() == 0 and loss > 0
    loss.backward()
    assert dense.grad.abs().sum() > 0 and text.grad.abs().sum() > 0
    with pytest.raises(ValueError):
        ilm.loss(torch.zeros(1, 1, 2, 2), target, torch.ones(1, 8, 7))


def test_ohem_masks_follow_panets_rule():
    from mmtextknow.models.textdet.tcm.instance_matching import ohem_masks
    scores = torch.tensor([[[0.9, -1.0, 2.0], [0.5, 3.0, -2.0]],
                           [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]])
    target = torch.tensor([[[1., 0, 0], [0, 0, 0]],
                           [[0., 0, 0], [0, 0, 0]]])
    mask = torch.tensor([[[1., 1, 1], [1, 0, 1]],
                         [[1., 1, 1], [1, 1, 0]]])
    kept = ohem_masks(scores, target, mask, neg_ratio=3.0)
    # image 0: 1 positive, 5 negatives -> the 3 hardest negatives (3.0,
    # 2.0, 0.5; 3.0 lies outside the mask and is then dropped) + the
    # positive; image 1: no positive -> its whole mask
    assert kept.tolist() == [[[1., 0, 1], [1, 0, 0]],
                             [[1., 1, 1], [1, 1, 0]]]


def test_ohem_dice_loss_by_hand():
    matching = InstanceLanguageMatching(tau=0.5, loss_type='ohem_dice')
    logits = torch.tensor([[[[0.9, -1.0, 2.0], [0.5, 3.0, -2.0]]]])
    target = torch.tensor([[[1., 0, 0], [0, 0, 0]]])
    mask = torch.tensor([[[1., 1, 1], [1, 0, 1]]])
    loss = matching.loss(logits * 0.5, target, mask)  # score / tau = logits

    def sig(x):
        return 1 / (1 + math.exp(-x))

    # kept pixels: 0.9 (positive), 2.0, 0.5; MMOCR's squared Dice, eps 1e-3
    a = sig(0.9)
    b = sig(0.9)**2 + sig(2.0)**2 + sig(0.5)**2 + 1e-3
    c = 1 + 1e-3
    assert loss.item() == pytest.approx(1 - 2 * a / (b + c), rel=1e-5)
    with pytest.raises(ValueError, match='loss_type'):
        InstanceLanguageMatching(loss_type='focal')
