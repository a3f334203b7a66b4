"""Tests of MGNet's losses against hand-written evaluations of eqs. (1), (3)
and (4)."""
import math
import time

import pytest
import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

from mmocr.registry import MODELS
from mmtextknow.models.textseg.losses import (DenseCRFLoss, SoftIoULoss,
                                              SubsetLoss, crf_energy,
                                              direct_crf_energy)


def _smooth(*shape, cell=8, seed=0):
    """A smooth random field of shape (B, C, H, W)."""
    gen = torch.Generator().manual_seed(seed)
    b, c, h, w = shape
    coarse = torch.randn(b, c, h // cell + 2, w // cell + 2, generator=gen)
    return F.interpolate(coarse, size=(h, w), mode='bicubic',
                         align_corners=False)


def _smooth_image(b=2, size=48, seed=0):
    return (_smooth(b, 3, size, size, cell=8, seed=seed) * 60 + 128).clamp(
        0, 255)


def _block_image(size=48):
    """A light noisy background with a dark noisy 'word' block."""
    gen = torch.Generator().manual_seed(1)
    img = 200 + 5 * torch.randn(1, 3, size, size, generator=gen)
    mask = torch.zeros(1, 1, size, size)
    mask[..., size // 3:size * 2 // 3, size // 6:size * 5 // 6] = 1
    dark = 40 + 5 * torch.randn(1, 3, size, size, generator=gen)
    return torch.where(mask.bool(), dark, img), mask


def _assert_zero_with_graph(loss, pred):
    assert loss.item() == 0 and loss.grad_fn is not None
    loss.backward()
    assert torch.all(pred.grad == 0)


@pytest.mark.parametrize('name', ['SoftIoULoss', 'SubsetLoss', 'DenseCRFLoss'])
def test_registered(name):
    loss = MODELS.build(dict(type=name, loss_weight=0.5))
    assert loss.loss_weight == 0.5


def test_soft_iou_hand_values():
    pred = torch.tensor([[[[0.5, 1.0], [0.0, 0.25]]],
                         [[[1.0, 1.0], [0.0, 0.0]]]], requires_grad=True)
    gt = torch.tensor([[[[1., 1.], [0., 0.]]]]).expand(2, -1, -1, -1)
    # sample 0: inter 1.5, union 1 + 1 + 0 + 0.25; sample 1: perfect.
    expected = [1 - 1.5 / 2.25, 0.0]
    loss = SoftIoULoss(eps=0)(pred, gt)
    assert loss.item() == pytest.approx(sum(expected) / 2, abs=1e-6)
    loss.backward()
    assert torch.isfinite(pred.grad).all()
    only_first = SoftIoULoss(eps=0, loss_weight=2.)(pred, gt, [True, False])
    assert only_first.item() == pytest.approx(2 * expected[0], abs=1e-6)
    weighted = SoftIoULoss(eps=0)(pred, gt, torch.tensor([1., 3.]))
    assert weighted.item() == pytest.approx(expected[0] / 4, abs=1e-6)


def test_losses_zero_when_none_applies():
    pred = torch.rand(2, 1, 8, 8, requires_grad=True)
    gt = (torch.rand(2, 1, 8, 8) > 0.5).float()
    none = torch.tensor([False, False])
    _assert_zero_with_graph(SoftIoULoss()(pred, gt, none), pred)
    pred.grad = None
    _assert_zero_with_graph(SubsetLoss()(pred, gt, none), pred)
    pred.grad = None
    image = torch.rand(2, 3, 8, 8) * 255
    _assert_zero_with_graph(DenseCRFLoss()(pred, image, none), pred)
    empty = torch.rand(0, 1, 8, 8, requires_grad=True)
    _assert_zero_with_graph(SoftIoULoss()(empty, empty.detach()), empty)


def test_subset_hand_values():
    z = torch.tensor([[[[0.8, 0.5], [0.1, 0.0]]]], requires_grad=True)
    y = torch.tensor([[[[0.0, 1.0], [0.0, 1.0]]]], requires_grad=True)
    # Default (eq. 3's outside term): Z_i (1 - Y_i) -log(1 - Z_i), averaged
    # over the 4 pixels; pixels inside the polygon (Y = 1) cost nothing.
    terms = [0.8 * -math.log(0.2), 0.0, 0.1 * -math.log(0.9), 0.0]
    loss = SubsetLoss(loss_weight=10.)(z, y)
    assert loss.item() == pytest.approx(10 * sum(terms) / 4, rel=1e-5)
    loss.backward()
    # d/dZ = (1 - Y) (-log(1 - Z) + Z / (1 - Z)); d/dY = Z log(1 - Z).
    dz = [-math.log(0.2) + 0.8 / 0.2, 0.0, -math.log(0.9) + 0.1 / 0.9, 0.0]
    dy = [0.8 * math.log(0.2), 0.5 * math.log(0.5), 0.1 * math.log(0.9), 0.]
    assert z.grad.flatten().tolist() == pytest.approx(
        [10 * g / 4 for g in dz], rel=1e-5, abs=1e-7)
    assert y.grad.flatten().tolist() == pytest.approx(
        [10 * g / 4 for g in dy], rel=1e-5, abs=1e-7)
    # The printed form, minus sign restored: Z_i * -[Y log Z + (1 - Y)
    # log(1 - Z)]; the last pixel is 0 * (clamped) log term = 0.
    printed = [0.8 * -math.log(0.2), 0.5 * -math.log(0.5),
               0.1 * -math.log(0.9), 0.0]
    loss = SubsetLoss(loss_weight=10., mode='printed')(z, y)
    assert loss.item() == pytest.approx(10 * sum(printed) / 4, rel=1e-5)
    with pytest.raises(ValueError):
        SubsetLoss(mode='inside')


@pytest.mark.parametrize('mode', ['outside', 'printed'])
def test_subset_penalises_text_outside_polygons(mode):
    text = torch.full((1, 1, 1, 1), 0.9)
    inside = SubsetLoss(mode=mode)(text, torch.ones_like(text))
    outside = SubsetLoss(mode=mode)(text, torch.zeros_like(text))
    assert outside > inside >= 0
    # A missed stroke inside a polygon (Z = 0.1, Y = 1): the printed form
    # pushes it further down (positive dL/dZ, -(log Z + 1) = 1.30), the
    # outside form leaves it to SoftIoU.
    missed = torch.full((1, 1, 1, 1), 0.1, requires_grad=True)
    SubsetLoss(mode=mode)(missed, torch.ones_like(missed)).backward()
    expected = -(math.log(0.1) + 1) if mode == 'printed' else 0.0
    assert missed.grad.item() == pytest.approx(expected, rel=1e-5)


def test_half_precision_sums_do_not_overflow():
    ones = torch.ones(1, 1, 512, 512, dtype=torch.half)
    assert SoftIoULoss()(ones, ones).item() == pytest.approx(0, abs=1e-5)
    assert torch.isfinite(SubsetLoss()(ones * 0.5, ones))


def test_subset_detach_target_and_mixed_batch():
    z = torch.rand(3, 1, 6, 6, requires_grad=True)
    y = torch.rand(3, 1, 6, 6, requires_grad=True)
    SubsetLoss(detach_target=True)(z, y).backward()
    assert y.grad is None and torch.isfinite(z.grad).all()
    indicator = torch.tensor([True, False, True])
    mixed = SubsetLoss()(z, y, indicator)
    alone = [SubsetLoss()(z[i:i + 1], y[i:i + 1]) for i in (0, 2)]
    assert mixed.item() == pytest.approx(sum(alone).item() / 2, rel=1e-6)


def test_direct_crf_energy_hand_value():
    # Two pixels side by side: E = 2 W_12 (a (1 - b) + b (1 - a)).
    a, b, s_rgb, s_xy = 0.3, 0.9, 15., 2.
    x = torch.tensor([[[[a, b]]]])
    image = torch.tensor([[[[10., 40.]], [[0., 0.]], [[0., 0.]]]])
    w12 = math.exp(-1 / (2 * s_xy**2) - 30.**2 / (2 * s_rgb**2))
    expected = 2 * w12 * (a * (1 - b) + b * (1 - a))
    energy = direct_crf_energy(x, image, s_rgb, s_xy)
    assert energy.item() == pytest.approx(expected, rel=1e-6)
    with pytest.raises(AssertionError):
        direct_crf_energy(torch.rand(1, 1, 65, 64), torch.rand(1, 3, 65, 64))


@pytest.mark.parametrize('sigma_xy', [100., 10.])
def test_crf_energy_matches_dense_formula(sigma_xy):
    image = _smooth_image()
    x = torch.sigmoid(3 * _smooth(2, 1, 48, 48, cell=6, seed=1))
    dense = direct_crf_energy(x, image, 15., sigma_xy)
    approx = crf_energy(x, image, 15., sigma_xy)
    assert torch.all((approx - dense).abs() / dense < 0.05)
    # Sharper colour clusters: the harder case for the grid.
    image, mask = _block_image()
    for pred in (mask * 0.9 + 0.05, torch.rand(1, 1, 48, 48)):
        dense = direct_crf_energy(pred, image, 15., sigma_xy)
        approx = crf_energy(pred, image, 15., sigma_xy)
        assert ((approx - dense).abs() / dense).item() < 0.05


def test_crf_gradient_matches_dense_formula():
    image, _ = _block_image()
    x = torch.rand(1, 1, 48, 48, dtype=torch.float64)
    x_dense = x.clone().requires_grad_()
    direct_crf_energy(x_dense, image, 15., 10.).sum().backward()
    x_grid = x.float().requires_grad_()
    crf_energy(x_grid, image, 15., 10.).sum().backward()
    assert torch.isfinite(x_grid.grad).all()
    cos = F.cosine_similarity(
        x_grid.grad.double().flatten(), x_dense.grad.flatten(), dim=0)
    assert cos > 0.99


def test_crf_prefers_predictions_along_image_edges():
    image, mask = _block_image()
    follows = mask * 0.9 + 0.05
    cuts = torch.zeros_like(mask)
    cuts[..., :, :24] = 1  # splits the uniform background and the block
    cuts = cuts * 0.9 + 0.05
    for energy in (direct_crf_energy, crf_energy):
        assert energy(follows, image, 15., 100.) < energy(cuts, image, 15.,
                                                          100.)
    loss = DenseCRFLoss(scale_factor=1.0)
    assert loss(follows, image) < loss(cuts, image)


def test_crf_loss_resize_normalisation_and_indicator():
    image = _smooth_image(b=3, size=64, seed=2)
    pred = torch.sigmoid(3 * _smooth(3, 1, 64, 64, seed=3))
    pred.requires_grad_()
    small_x = F.interpolate(pred.detach(), size=(32, 32), mode='bilinear',
                            align_corners=False)
    small_img = F.interpolate(image, size=(32, 32), mode='bilinear',
                              align_corners=False)
    dense = direct_crf_energy(small_x, small_img, 15., 100. * 0.5)
    per_pixel = dense / 32**2
    loss = DenseCRFLoss(normalize='pixels', grid_step=0.5)
    assert loss(pred, image).item() == pytest.approx(
        per_pixel.mean().item(), rel=0.02)
    kernel_loss = DenseCRFLoss(loss_weight=0.1, grid_step=0.5)
    mixed = kernel_loss(pred, image, torch.tensor([True, False, True]))
    expected = 0.1 * per_pixel[[0, 2]].mean() / (2 * math.pi * 50.**2)
    assert mixed.item() == pytest.approx(expected.item(), rel=0.02)
    mixed.backward()
    assert torch.isfinite(pred.grad).all()
    assert torch.all(pred.grad[1] == 0) and pred.grad[0].abs().sum() > 0
    # A normalised image is de-normalised with the given mean / std.
    mean, std = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
    normed = (image - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(
        std).view(1, 3, 1, 1)
    denorm = DenseCRFLoss(normalize='pixels', grid_step=0.5, img_mean=mean,
                          img_std=std)
    assert denorm(pred, normed).item() == pytest.approx(
        loss(pred, image).item(), rel=1e-4)


class _LargestTensor(TorchDispatchMode):
    """Records the largest tensor any operator returns."""

    def __init__(self):
        super().__init__()
        self.numel = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for item in out if isinstance(out, (tuple, list)) else (out, ):
            if isinstance(item, torch.Tensor):
                self.numel = max(self.numel, item.numel())
        return out


def test_crf_loss_512_is_linear_in_pixels():
    size = 512
    image = (_smooth(1, 3, size, size, cell=32) * 80 + 128).clamp(0, 255)
    pred = torch.sigmoid(3 * _smooth(1, 1, size, size, cell=16, seed=1))
    pred.requires_grad_()
    loss = DenseCRFLoss(loss_weight=0.1)
    start = time.perf_counter()
    with _LargestTensor() as probe:
        loss(pred, image).backward()
    elapsed = time.perf_counter() - start
    assert torch.isfinite(pred.grad).all()
    # The corner weights/indices are 2^5 per evaluated pixel; N^2 = 6.9e10.
    assert probe.numel <= 32 * size * size
    assert elapsed < 10.0, f'{elapsed:.2f} s at 512 x 512'
