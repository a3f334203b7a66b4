# Copyright (c) mmtextknow contributors. All rights reserved.
import math

import pytest
import torch
import torch.nn.functional as F

from mmocr.registry import MODELS

import mmtextknow  # noqa: F401
from mmtextknow.models.pretrain.stkm import LabelSmoothedKLLoss


def reference_loss(logits, targets, eps, pad_idx):
    """Eq. 4-5 written out token by token and class by class."""
    n, t, c = logits.shape
    total, count = 0., 0
    for i in range(n):
        for j in range(t):
            y = int(targets[i, j])
            if y == pad_idx:
                continue
            probs = torch.softmax(logits[i, j].double(), dim=0)
            kl = 0.
            for k in range(c):
                g = (1 - eps) * (1. if k == y else 0.) + eps / c
                if g > 0:
                    kl += g * (math.log(g) - math.log(float(probs[k])))
            total += kl
            count += 1
    return total / max(count, 1)


def test_matches_per_token_reference():
    torch.manual_seed(0)
    logits = torch.randn(2, 4, 6)
    targets = torch.tensor([[1, 4, 5, 0], [2, 3, 0, 0]])
    loss = LabelSmoothedKLLoss(epsilon=0.1)(logits, targets)
    assert loss.dim() == 0
    assert float(loss) == pytest.approx(
        reference_loss(logits, targets, 0.1, 0), rel=1e-5)


def test_padding_excluded_and_other_pad_idx():
    torch.manual_seed(1)
    logits = torch.randn(1, 3, 5)
    loss_fn = LabelSmoothedKLLoss(epsilon=0.2, pad_idx=4)
    targets = torch.tensor([[1, 2, 4]])
    loss = loss_fn(logits, targets)
    # changing the logits at the padding position changes nothing
    logits2 = logits.clone()
    logits2[0, 2] = torch.randn(5) * 10
    assert float(loss_fn(logits2, targets)) == pytest.approx(float(loss))
    # normalised by the 2 real tokens, not by T = 3
    assert float(loss) == pytest.approx(
        reference_loss(logits, targets, 0.2, 4), rel=1e-5)
    assert float(loss) == pytest.approx(
        float(loss_fn(logits[:, :2], targets[:, :2])), rel=1e-6)


def test_all_padding_is_zero():
    logits = torch.randn(2, 3, 5, requires_grad=True)
    loss = LabelSmoothedKLLoss()(logits, torch.zeros(2, 3, dtype=torch.long))
    assert loss.item() == 0.
    loss.backward()
    assert torch.all(logits.grad == 0)


def test_eps_zero_is_cross_entropy():
    torch.manual_seed(2)
    logits = torch.randn(3, 5, 7)
    targets = torch.randint(0, 7, (3, 5))
    targets[0, 0] = 3  # at least one real token
    loss = LabelSmoothedKLLoss(epsilon=0.)(logits, targets)
    ce = F.cross_entropy(
        logits.reshape(-1, 7), targets.reshape(-1), ignore_index=0)
    assert float(loss) == pytest.approx(float(ce), rel=1e-5)


def test_gradients_finite_and_weight():
    logits = torch.tensor([[[50., -50., 0., 0.], [0., 0., 0., 0.]]],
                          requires_grad=True)
    targets = torch.tensor([[1, 2]])
    loss = LabelSmoothedKLLoss(loss_weight=2.)(logits, targets)
    loss.backward()
    assert torch.isfinite(loss.detach())
    assert torch.isfinite(logits.grad).all()
    unweighted = LabelSmoothedKLLoss()(logits.detach(), targets)
    assert loss.item() == pytest.approx(2 * float(unweighted))
    # a perfect smoothed prediction has zero loss
    eps, c = 0.1, 4
    g = torch.full((c, ), eps / c)
    g[2] += 1 - eps
    zero = LabelSmoothedKLLoss()(g.log().view(1, 1, c), torch.tensor([[2]]))
    assert float(zero) == pytest.approx(0., abs=1e-6)


def test_registry_and_bad_args():
    loss = MODELS.build(dict(type='LabelSmoothedKLLoss', epsilon=0.05))
    assert isinstance(loss, LabelSmoothedKLLoss)
    with pytest.raises(ValueError):
        LabelSmoothedKLLoss(epsilon=1.)
    with pytest.raises(ValueError):
        loss(torch.randn(2, 3), torch.zeros(2, dtype=torch.long))
