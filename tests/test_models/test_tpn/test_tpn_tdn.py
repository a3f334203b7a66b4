# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text Detection Network: shapes, loss values, gradients, no positive."""
import torch
import torch.nn.functional as F

from mmocr.registry import MODELS
from mmtextknow.models.textspot.tpn.tdn import TextDetectionNetwork


def _head():
    torch.manual_seed(0)
    head = TextDetectionNetwork(in_channels=6, fc_channels=16, num_fcs=2)
    head.init_weights()
    return head


def test_forward_shapes_and_registry():
    head = MODELS.build(
        dict(type='TextDetectionNetwork', in_channels=6, fc_channels=8))
    cls, reg = head(torch.randn(5, 6))
    assert cls.shape == (5, ) and reg.shape == (5, 4)
    cls, reg = head(torch.randn(0, 6))
    assert cls.shape == (0, ) and reg.shape == (0, 4)


def test_loss_values_and_grad():
    head = _head()
    feats = torch.randn(6, 6, requires_grad=True)
    cls, reg = head(feats)
    labels = torch.tensor([1, 0, 1, 0, 0, 1])
    targets = torch.randn(6, 4)
    losses = head.loss(cls, reg, labels, targets)
    assert set(losses) == {'loss_cls', 'loss_bbox'}
    assert all(torch.isfinite(v) for v in losses.values())
    exp_cls = F.binary_cross_entropy_with_logits(cls, labels.float())
    torch.testing.assert_close(losses['loss_cls'], exp_cls)
    pos = labels == 1
    diff = (reg[pos] - targets[pos]).abs()
    sl1 = torch.where(diff < 1.0, 0.5 * diff**2, diff - 0.5)
    torch.testing.assert_close(losses['loss_bbox'], sl1.sum() / 3)
    sum(losses.values()).backward()
    assert feats.grad is not None and feats.grad.abs().sum() > 0
    for name, p in head.named_parameters():
        assert p.grad is not None, name


def test_loss_weights_and_no_positive():
    head = _head()
    cls, reg = head(torch.randn(4, 6))
    labels = torch.zeros(4, dtype=torch.long)
    label_weights = torch.tensor([1., 1., 0., 1.])
    losses = head.loss(cls, reg, labels, torch.randn(4, 4), label_weights)
    exp = F.binary_cross_entropy_with_logits(
        cls, labels.float(), reduction='none')[label_weights > 0].mean()
    torch.testing.assert_close(losses['loss_cls'], exp)
    assert losses['loss_bbox'] == 0
    sum(losses.values()).backward()
    empty = head.loss(cls[:0], reg[:0], labels[:0], torch.zeros(0, 4))
    assert all(v == 0 for v in empty.values())
