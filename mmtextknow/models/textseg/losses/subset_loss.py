"""Subset loss of MGNet (eq. 3): pixel-level text must lie inside the
polygon-level text."""
from typing import Optional

import torch
from torch import Tensor, nn

from mmocr.registry import MODELS
from .soft_iou_loss import SampleWeight, sample_weighted_mean

SUBSET_MODES = ('outside', 'printed')


def subset_loss(pixel_pred: Tensor,
                polygon: Tensor,
                eps: float = 1e-6,
                detach_target: bool = False,
                mode: str = 'outside') -> Tensor:
    """Per-sample subset loss, MGNet eq. (3).

    Eq. (3) prints :math:`\\sum_i Z_i L_{CE}(Z_i, Y_i)` with
    :math:`L_{CE}(Z, Y) = Y \\log Z + (1 - Y) \\log(1 - Z)` and says the loss
    "penalizes the case if a pixel is assigned by a high probability of
    pixel-level text mask but a low probability of polygon-level text mask,
    but not vice versa". The printed cross-entropy has two terms:

    - the *outside* term :math:`-(1 - Y) \\log(1 - Z)`: text (Z high) where
      the polygon is absent (Y low), the case the paper means to penalise;
    - the *inside* term :math:`-Y \\log Z`: weighted by Z it is
      :math:`-Y Z \\log Z`, which is largest at :math:`Z = 1/e` inside a
      polygon and whose gradient pushes every pixel with
      :math:`Z < 1/e` inside a polygon towards 0, i.e. it penalises exactly
      the "vice versa" case (a polygon pixel not, or not yet, predicted as
      text) and erases missed strokes inside the polygons that SoftIoU tries
      to recover.

    ``mode='outside'`` (default) keeps the outside term only, the reading
    that matches the stated intent:

    .. math::
        L_{SB} = \\frac{1}{N} \\sum_i Z_i (1 - Y_i)
        \\bigl(-\\log(1 - Z_i)\\bigr)

    It is 0 wherever :math:`Y_i = 1` or :math:`Z_i = 0`, grows without
    bound as :math:`Z_i \\to 1` outside the polygons, and its gradient
    w.r.t. Y (when not detached) only raises Y where Z is high.
    ``mode='printed'`` is the printed formula with the cross-entropy's
    minus sign restored (as printed the "loss" is <= 0 and minimising it
    would reward text outside the polygons):
    :math:`\\frac{1}{N} \\sum_i Z_i \\cdot
    -[Y_i \\log Z_i + (1 - Y_i) \\log (1 - Z_i)]`.

    The sum over pixels is normalised by the pixel count N (a mean), so that
    the loss does not scale with the input size and MGNet's weight (10)
    means the same at every resolution.

    Args:
        pixel_pred (Tensor): Pixel-level text probabilities Z, (B, ...).
        polygon (Tensor): Polygon-level text Y of the same shape: the
            polygon branch's probabilities or the polygon ground truth.
        eps (float): Z is clamped to [eps, 1 - eps] inside the logs.
            Defaults to 1e-6.
        detach_target (bool): Stop the gradient into Y. Defaults to False:
            both Z (as weight and inside the cross-entropy) and Y carry
            gradient.
        mode (str): ``'outside'`` or ``'printed'``, see above. Defaults to
            ``'outside'``.

    Returns:
        Tensor: Losses of shape (B, ).
    """
    assert mode in SUBSET_MODES, f'mode must be one of {SUBSET_MODES}'
    assert pixel_pred.shape == polygon.shape, (
        f'pixel_pred {tuple(pixel_pred.shape)} vs polygon '
        f'{tuple(polygon.shape)}')
    z = pixel_pred.flatten(1).float()
    y = polygon.flatten(1).float()
    if detach_target:
        y = y.detach()
    z_clamped = z.clamp(eps, 1 - eps)
    ce = -(1 - y) * torch.log1p(-z_clamped)
    if mode == 'printed':
        ce = ce - y * torch.log(z_clamped)
    return (z * ce).mean(1)


@MODELS.register_module()
class SubsetLoss(nn.Module):
    """Subset loss of MGNet (TIP 2021, eq. 3): a Z-weighted cross-entropy
    between the pixel-level output Z and the polygon-level output Y that
    penalises text pixels outside the polygons.

    See :func:`subset_loss` for the formula and its conventions (the
    outside term of eq. 3 by default, mean over pixels).

    Args:
        loss_weight (float): Multiplier of the loss (MGNet: 10). Defaults to
            1.0.
        eps (float): Clamp of Z inside the logs. Defaults to 1e-6.
        detach_target (bool): Whether Y is treated as a constant. Defaults
            to False (gradient into both Z and Y).
        mode (str): ``'outside'`` (text outside the polygons only, the
            stated intent of eq. 3) or ``'printed'`` (eq. 3's full
            cross-entropy, which also pushes weak text pixels inside the
            polygons down). Defaults to ``'outside'``.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 eps: float = 1e-6,
                 detach_target: bool = False,
                 mode: str = 'outside') -> None:
        super().__init__()
        if mode not in SUBSET_MODES:
            raise ValueError(
                f'SubsetLoss mode must be one of {SUBSET_MODES}, got {mode!r}')
        self.loss_weight = loss_weight
        self.eps = eps
        self.detach_target = detach_target
        self.mode = mode

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
        per_sample = subset_loss(pixel_pred, polygon, self.eps, detach_target,
                                 self.mode)
        return self.loss_weight * sample_weighted_mean(
            per_sample, weight, pixel_pred)
