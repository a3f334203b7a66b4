"""Subset loss of MGNet (eq. 3): pixel-level text must lie inside the
polygon-level text."""
from typing import Optional

import torch
from torch import Tensor, nn

from mmocr.registry import MODELS
from .soft_iou_loss import SampleWeight, sample_weighted_mean


def subset_loss(pixel_pred: Tensor,
                polygon: Tensor,
                eps: float = 1e-6,
                detach_target: bool = False) -> Tensor:
    """Per-sample subset loss, MGNet eq. (3) with the cross-entropy's sign
    restored.

    .. math::
        L_{SB} = \\frac{1}{N} \\sum_i Z_i \\cdot
        \\bigl(-[Y_i \\log Z_i + (1 - Y_i) \\log (1 - Z_i)]\\bigr)

    Eq. (3) prints :math:`L_{CE}(Z, Y) = Y \\log Z + (1 - Y) \\log(1 - Z)`
    without the minus sign; as printed the "loss" is <= 0 and minimising it
    would reward text pixels outside the polygons. The cross-entropy here
    has its minus sign. The sum over pixels is normalised by the pixel
    count N (a mean), so that the loss does not scale with the input size
    and MGNet's weight (10) means the same at every resolution. The
    per-pixel weight :math:`Z_i` makes confident text pixels outside the
    polygons (:math:`Y_i \\approx 0`) cost the most.

    Args:
        pixel_pred (Tensor): Pixel-level text probabilities Z, (B, ...).
        polygon (Tensor): Polygon-level text Y of the same shape: the
            polygon branch's probabilities or the polygon ground truth.
        eps (float): Z is clamped to [eps, 1 - eps] inside the logs.
            Defaults to 1e-6.
        detach_target (bool): Stop the gradient into Y. Defaults to False:
            both Z (as weight and inside the cross-entropy) and Y carry
            gradient.

    Returns:
        Tensor: Losses of shape (B, ).
    """
    assert pixel_pred.shape == polygon.shape, (
        f'pixel_pred {tuple(pixel_pred.shape)} vs polygon '
        f'{tuple(polygon.shape)}')
    z = pixel_pred.flatten(1).float()
    y = polygon.flatten(1).float()
    if detach_target:
        y = y.detach()
    z_clamped = z.clamp(eps, 1 - eps)
    ce = -(y * torch.log(z_clamped) + (1 - y) * torch.log1p(-z_clamped))
    return (z * ce).mean(1)


@MODELS.register_module()
class SubsetLoss(nn.Module):
    """Subset loss of MGNet (TIP 2021, eq. 3): a Z-weighted cross-entropy
    between the pixel-level output Z and the polygon-level output Y.

    See :func:`subset_loss` for the formula and its conventions (mean over
    pixels, restored minus sign).

    Args:
        loss_weight (float): Multiplier of the loss (MGNet: 10). Defaults to
            1.0.
        eps (float): Clamp of Z inside the logs. Defaults to 1e-6.
        detach_target (bool): Whether Y is treated as a constant. Defaults
            to False (gradient into both Z and Y).
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 eps: float = 1e-6,
                 detach_target: bool = False) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.eps = eps
        self.detach_target = detach_target

    def forward(self,
                pixel_pred: Tensor,
                polygon: Tensor,
                weight: SampleWeight = None,
                detach_target: Optional[bool] = None) -> Tensor:
        """Compute the loss.

        Args:
            pixel_pred (Tensor): Pixel-level probabilities Z, (B, 1, H, W).
            polygon (Tensor): Polygon-level probabilities or polygon ground
                truth Y, (B, 1, H, W).
            weight (Tensor or list, optional): Per-sample indicator (bool)
                or float weights of shape (B, ). None: all samples apply.
            detach_target (bool, optional): Overrides the module's
                ``detach_target`` for this call, e.g. False for a predicted
                Y and True for the ground truth.

        Returns:
            Tensor: ``loss_weight`` times the mean loss over the applicable
            samples; a graph-connected 0 when none applies.
        """
        if detach_target is None:
            detach_target = self.detach_target
        per_sample = subset_loss(pixel_pred, polygon, self.eps, detach_target)
        return self.loss_weight * sample_weighted_mean(
            per_sample, weight, pixel_pred)
