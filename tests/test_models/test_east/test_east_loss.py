"""EAST's loss: hand values of its terms; perfect vs perturbed predictions."""
import math

import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

from mmtextknow.models.textdet.east import (EASTModuleLoss, balanced_bce_loss,
                                            dice_loss, quad_loss,
                                            rbox_iou_loss)
from test_east_targets import rotated_rect  # noqa: E402


def test_balanced_bce_by_hand():
    target = torch.tensor([1., 0, 0, 0])
    logits = torch.zeros(4)  # p = 0.5 everywhere
    # beta = 1 - 1/4; mean of 0.75 ln2 (positive) and 3 x 0.25 ln2
    expected = (0.75 + 3 * 0.25) * math.log(2) / 4
    assert balanced_bce_loss(logits, target, torch.ones(4)).item() == \
        pytest.approx(expected)
    # a masked pixel counts in neither beta nor the mean
    mask = torch.tensor([1., 1, 1, 0])
    expected = (2 / 3 + 2 * 1 / 3) * math.log(2) / 3
    assert balanced_bce_loss(logits, target, mask).item() == \
        pytest.approx(expected)


def test_dice_by_hand():
    target = torch.tensor([1., 1, 0, 0])
    logits = torch.tensor([0., 0, 0, 0])  # p = 0.5
    # 1 - 2 * 1 / (2 + 2)
    assert dice_loss(logits, target, torch.ones(4)).item() == \
        pytest.approx(0.5, abs=1e-5)


def test_rbox_iou_loss_by_hand():
    pred = torch.tensor([[1., 1, 1, 1]])
    target = torch.tensor([[2., 2, 2, 2]])
    # areas 4 and 16, intersection 2 x 2 = 4, union 16
    assert rbox_iou_loss(pred, target).item() == pytest.approx(
        -math.log(5 / 17))
    assert rbox_iou_loss(target, target).item() == pytest.approx(0)


def test_quad_loss_takes_the_best_vertex_order():
    target = torch.tensor([[0., 0, 10, 0, 10, 5, 0, 5]])
    shifted = torch.roll(target, 2, -1)  # same quad, other start vertex
    assert quad_loss(shifted, target, torch.tensor([5.])).item() == 0
    off = target + torch.tensor([[0.5, 0, 0, 0, 0, 0, 0, 0]])
    # smooth L1 of 0.5 = 0.5 * 0.5^2 = 0.125; / (8 * 5)
    assert quad_loss(off, target, torch.tensor([5.])).item() == \
        pytest.approx(0.125 / 40)


def _sample(polys, ignored):
    s = TextDetDataSample()
    s.gt_instances = InstanceData(
        polygons=[np.asarray(p, np.float32).reshape(-1) for p in polys],
        ignored=torch.tensor(ignored, dtype=torch.bool))
    return s


def _perfect(loss, samples, shape):
    gt = loss.targets(samples, shape, loss.stride, torch.device('cpu'))
    logits = (gt['score'] * 2 - 1)[:, None] * 30
    return logits, gt['geometry'].clone(), gt


@pytest.mark.parametrize('geometry', ['RBOX', 'QUAD'])
@pytest.mark.parametrize('score_loss', ['balanced_bce', 'dice'])
def test_perfect_vs_perturbed_predictions(geometry, score_loss):
    samples = [
        _sample([rotated_rect(70, 60, 90, 30, 20),
                 rotated_rect(40, 110, 50, 16, -10)], [False, True]),
        _sample([rotated_rect(60, 64, 70, 40, 70)], [False]),
    ]
    loss = EASTModuleLoss(geometry=geometry, score_loss=score_loss)
    logits, geo, gt = _perfect(loss, samples, (36, 40))
    perfect = loss((logits, geo), samples)
    assert all(v.item() < 1e-6 for v in perfect.values()), perfect
    noisy_geo = geo + torch.rand_like(geo) * 3
    if geometry == 'RBOX':
        noisy_geo[:, 4] = geo[:, 4] + 0.2
    perturbed = loss((logits, noisy_geo), samples)
    for key in perturbed:
        if key != 'loss_score':
            assert perturbed[key] > 1e-3, key
    flipped = loss((-logits, geo), samples)
    assert flipped['loss_score'] > 0.99  # dice saturates at 1
    # errors under the '###' box and outside the texts' score regions do not
    # count for the geometry
    outside = geo.clone()
    outside[(gt['score'] == 0)[:, None].expand_as(geo)] += 50
    assert all(v.item() < 1e-6 for k, v in loss((logits, outside),
                                                   samples).items())


def test_rbox_angle_loss_weight_is_the_papers():
    samples = [_sample([rotated_rect(70, 60, 90, 30, 20)], [False])]
    loss = EASTModuleLoss()
    assert loss.angle_weight == 10
    logits, geo, _ = _perfect(loss, samples, (32, 36))
    geo[:, 4] += 0.1
    expected = 10 * (1 - math.cos(0.1))
    assert loss((logits, geo), samples)['loss_angle'].item() == \
        pytest.approx(expected, rel=1e-4)


def test_no_text_gives_zero_geometry_loss_with_gradient():
    samples = [_sample([], [])]
    logits = torch.zeros(1, 1, 8, 8, requires_grad=True)
    geo = torch.ones(1, 5, 8, 8, requires_grad=True)
    out = EASTModuleLoss()((logits, geo), samples)
    assert out['loss_aabb'].item() == 0 and out['loss_angle'].item() == 0
    sum(out.values()).backward()
    assert geo.grad is not None


def test_bad_options():
    with pytest.raises(ValueError, match='score_loss'):
        EASTModuleLoss(score_loss='focal')
    with pytest.raises(ValueError, match='geometry'):
        EASTModuleLoss(geometry='POLY')
