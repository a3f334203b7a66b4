"""The shared text segmentation losses leave out don't-care pixels (255)
and give exactly the same numbers as before on 0/1 masks; the masks reach
them with their 255s through the preprocessor and ``stack_gt_masks``."""
import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmocr.registry import MODELS

import mmtextknow.models  # noqa: F401  (registers the models)
from mmtextknow.datasets.mask_values import IGNORE_INDEX
from mmtextknow.models.textseg.losses import SoftIoULoss, soft_iou_loss
from mmtextknow.models.textseg.segmentors.base import BaseTextSegmentor
from mmtextknow.structures import TextSegDataSample


def _data(seed=0, shape=(2, 1, 9, 13)):
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(*shape, generator=gen) * 2
    target = (torch.rand(*shape, generator=gen) > 0.6).float()
    ignored = torch.rand(*shape, generator=gen) > 0.7
    return logits, target, ignored


def _hand_soft_iou(p, t):
    """Eq. (1) summed by hand over the given pixels (1-D tensors)."""
    return 1 - (p * t).sum() / ((p + t - p * t).sum() + 1e-6)


def test_soft_iou_unchanged_on_binary_masks():
    logits, target, _ = _data()
    pred = logits.sigmoid()
    with_ignore = soft_iou_loss(pred, target)
    without = soft_iou_loss(pred, target, ignore_index=None)
    assert torch.equal(with_ignore, without)
    for b in range(2):
        assert with_ignore[b].item() == pytest.approx(
            _hand_soft_iou(pred[b].flatten(), target[b].flatten()).item(),
            rel=1e-6)


def test_soft_iou_ignores_255_pixels():
    logits, target, ignored = _data(1)
    pred = logits.sigmoid().requires_grad_()
    marked = torch.where(ignored, torch.tensor(float(IGNORE_INDEX)), target)
    loss = SoftIoULoss()(pred, marked)
    per_sample = [
        _hand_soft_iou(pred[b][~ignored[b]].detach(),
                       target[b][~ignored[b]]) for b in range(2)
    ]
    assert loss.item() == pytest.approx(
        torch.stack(per_sample).mean().item(), rel=1e-6)
    loss.backward()
    assert (pred.grad[ignored] == 0).all()
    assert (pred.grad[~ignored] != 0).any()


def _head():
    init_default_scope('mmocr')
    return MODELS.build(dict(type='FCNTextSegHead', in_channels=4))


def _hand_head_losses(logits, target, cared, valid):
    """BCE mean over the cared pixels of valid samples; mmdet's Dice
    (eps 1e-3, squared denominators) over each valid sample's cared pixels,
    averaged over valid samples."""
    bce_sum, n, dice = 0., 0, []
    for b in range(logits.shape[0]):
        if not valid[b]:
            continue
        x, t = logits[b][cared[b]], target[b][cared[b]]
        p = x.sigmoid()
        bce_sum += -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).sum()
        n += x.numel()
        d = 2 * (p * t).sum() / ((p * p).sum() + 1e-3 + (t * t).sum() + 1e-3)
        dice.append(1 - d)
    return bce_sum / n, torch.stack(dice).mean()


def test_fcn_head_losses_unchanged_on_binary_masks():
    head = _head()
    head.ignore_index = None
    logits, target, _ = _data(2)
    valid = torch.tensor([True, False])
    old = head.loss_by_feat(logits, target, valid)
    head.ignore_index = IGNORE_INDEX
    new = head.loss_by_feat(logits, target, valid)
    for key in ('loss_bce', 'loss_dice'):
        assert torch.equal(old[key], new[key])
    bce, dice = _hand_head_losses(logits, target,
                                  torch.ones_like(target, dtype=torch.bool),
                                  valid)
    assert new['loss_bce'].item() == pytest.approx(bce.item(), rel=1e-5)
    assert new['loss_dice'].item() == pytest.approx(dice.item(), rel=1e-5)


def test_fcn_head_losses_ignore_255_pixels():
    head = _head()
    logits, target, ignored = _data(3)
    logits.requires_grad_()
    valid = torch.tensor([True, True])
    marked = torch.where(ignored, torch.tensor(float(IGNORE_INDEX)), target)
    losses = head.loss_by_feat(logits, marked, valid)
    bce, dice = _hand_head_losses(logits.detach(), target, ~ignored, valid)
    assert losses['loss_bce'].item() == pytest.approx(bce.item(), rel=1e-5)
    assert losses['loss_dice'].item() == pytest.approx(dice.item(), rel=1e-5)
    (losses['loss_bce'] + losses['loss_dice']).backward()
    assert (logits.grad[ignored] == 0).all()


def test_stack_gt_masks_carries_the_ignore_value():
    sample = TextSegDataSample(metainfo=dict(has_pixel_mask=True))
    mask = torch.tensor([[[0, 1, 255], [255, 1, 0]]], dtype=torch.uint8)
    sample.gt_pixel_mask = PixelData(data=mask)
    masks, valid = BaseTextSegmentor.stack_gt_masks([sample],
                                                    'gt_pixel_mask', (2, 3),
                                                    torch.device('cpu'))
    assert valid.tolist() == [True]
    assert masks[0, 0].tolist() == [[0, 1, 255], [255, 1, 0]]
