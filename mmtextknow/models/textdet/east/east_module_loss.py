# Copyright (c) mmtextknow contributors. All rights reserved.
"""EAST's loss: score map loss + RBOX (IoU + angle) or QUAD geometry loss."""
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor, nn

from .east_target import EASTTargets


def balanced_bce_loss(logits: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """Class-balanced cross-entropy of EAST (eq. 5).

    ``L = -beta * Y* log Y - (1 - beta) (1 - Y*) log(1 - Y)`` averaged over
    the unmasked pixels, with ``beta = 1 - sum(Y*) / |Y*|`` counted over the
    unmasked pixels of the batch.
    """
    valid = mask.sum().clamp(min=1)
    beta = 1 - (target * mask).sum() / valid
    weight = (beta * target + (1 - beta) * (1 - target)) * mask
    loss = F.binary_cross_entropy_with_logits(
        logits, target, weight=weight, reduction='sum')
    return loss / valid


def dice_loss(logits: Tensor, target: Tensor, mask: Tensor,
              eps: float = 1e-5) -> Tensor:
    """Dice loss over the unmasked pixels of the batch (the authors' code)."""
    prob = logits.sigmoid()
    inter = (prob * target * mask).sum()
    union = (target * mask).sum() + (prob * mask).sum() + eps
    return 1 - 2 * inter / union


def rbox_iou_loss(pred: Tensor, target: Tensor) -> Tensor:
    """``-log IoU`` of the axis-aligned boxes in the rectangles' frame
    (eq. 7-9), per pixel, with 1 added to both areas as the authors do.

    Args:
        pred, target (Tensor): ``(..., 4)`` distances top, right, bottom,
            left.
    """
    area_p = (pred[..., 0] + pred[..., 2]) * (pred[..., 1] + pred[..., 3])
    area_t = (target[..., 0] + target[..., 2]) * (target[..., 1] +
                                                  target[..., 3])
    inter_h = (torch.min(pred[..., 0], target[..., 0]) +
               torch.min(pred[..., 2], target[..., 2]))
    inter_w = (torch.min(pred[..., 1], target[..., 1]) +
               torch.min(pred[..., 3], target[..., 3]))
    inter = inter_h * inter_w
    union = area_p + area_t - inter
    return -torch.log((inter + 1) / (union + 1))


def quad_loss(pred: Tensor, target: Tensor, norm: Tensor) -> Tensor:
    """QUAD loss (eq. 11): smoothed L1 of the 8 offsets divided by 8 times
    the quadrilateral's shortest side, minimised over the cyclic vertex
    orders of the target, per pixel.

    Args:
        pred, target (Tensor): ``(N, 8)`` vertex offsets.
        norm (Tensor): ``(N,)`` shortest sides.
    """
    losses = []
    for k in range(4):
        shifted = torch.roll(target, shifts=2 * k, dims=-1)
        losses.append(
            F.smooth_l1_loss(pred, shifted, reduction='none').sum(-1))
    return torch.stack(losses, -1).min(-1).values / (8 * norm)


@MODELS.register_module()
class EASTModuleLoss(nn.Module):
    """EAST's loss, with its targets made from the data samples' polygons.

    ``L = w_score * L_s + w_geo * L_g`` (eq. 4; the paper's
    ``lambda_g = 1``). ``L_s`` is the class-balanced cross-entropy (paper)
    or the dice loss (the authors' code, which also weights it by 0.01) on
    the unmasked pixels. For RBOX, ``L_g = L_AABB + lambda_theta *
    L_theta`` (``-log IoU`` and ``1 - cos(theta - theta*)``, the paper's
    ``lambda_theta = 10``; the authors' code uses 20); for QUAD, the
    normalised smoothed L1 of :func:`quad_loss`. The geometry losses are
    averaged over the unmasked positive pixels of the batch.

    Args:
        geometry (str): ``'RBOX'`` or ``'QUAD'``.
        score_loss (str): ``'balanced_bce'`` (paper) or ``'dice'``.
        loss_score_weight (float): ``w_score``. Defaults to 1.
        loss_geometry_weight (float): ``w_geo`` (``lambda_g``). Defaults
            to 1.
        angle_weight (float): ``lambda_theta``. Defaults to 10.
        shrink_ratio (float): Score-map shrink ratio. Defaults to 0.3.
        min_text_size (float, optional): See :class:`EASTTargets`.
        stride (int): Input pixels per output cell (the neck's output
            stride). Defaults to 4.
    """

    def __init__(self,
                 geometry: str = 'RBOX',
                 score_loss: str = 'balanced_bce',
                 loss_score_weight: float = 1.0,
                 loss_geometry_weight: float = 1.0,
                 angle_weight: float = 10.0,
                 shrink_ratio: float = 0.3,
                 min_text_size: Optional[float] = None,
                 stride: int = 4) -> None:
        super().__init__()
        if score_loss not in ('balanced_bce', 'dice'):
            raise ValueError("score_loss must be 'balanced_bce' or 'dice', "
                             f'got {score_loss!r}')
        self.targets = EASTTargets(geometry, shrink_ratio, min_text_size)
        self.geometry = geometry
        self.score_loss = score_loss
        self.loss_score_weight = loss_score_weight
        self.loss_geometry_weight = loss_geometry_weight
        self.angle_weight = angle_weight
        self.stride = stride

    def forward(self, preds: Tuple[Tensor, Tensor],
                data_samples: Sequence[TextDetDataSample]
                ) -> Dict[str, Tensor]:
        """Compute the losses.

        Args:
            preds (tuple[Tensor, Tensor]): The head's score logits
                ``(N, 1, H, W)`` and geometry ``(N, C, H, W)`` (input
                pixels; RBOX angle in radians).
            data_samples (list[TextDetDataSample]): With ``gt_instances``
                (``polygons``, ``ignored``) in input-image coordinates.

        Returns:
            dict: ``loss_score`` and ``loss_aabb`` + ``loss_angle`` (RBOX)
            or ``loss_quad`` (QUAD).
        """
        score_logits, geometry = preds
        h, w = score_logits.shape[-2:]
        gt = self.targets(data_samples, (h, w), self.stride,
                          score_logits.device)
        score_logits = score_logits[:, 0]
        if self.score_loss == 'balanced_bce':
            loss_score = balanced_bce_loss(score_logits, gt['score'],
                                           gt['mask'])
        else:
            loss_score = dice_loss(score_logits, gt['score'], gt['mask'])
        losses = dict(loss_score=self.loss_score_weight * loss_score)

        pos = (gt['score'] * gt['mask']) > 0  # (N, H, W)
        pred = geometry.permute(0, 2, 3, 1)[pos]  # (P, C)
        target = gt['geometry'].permute(0, 2, 3, 1)[pos]
        if pred.shape[0] == 0:  # no text: keep the graph, add nothing
            zero = geometry.sum() * 0
            if self.geometry == 'RBOX':
                losses.update(loss_aabb=zero, loss_angle=zero)
            else:
                losses.update(loss_quad=zero)
            return losses
        if self.geometry == 'RBOX':
            loss_aabb = rbox_iou_loss(pred[:, :4], target[:, :4]).mean()
            loss_angle = (1 - torch.cos(pred[:, 4] - target[:, 4])).mean()
            losses.update(
                loss_aabb=self.loss_geometry_weight * loss_aabb,
                loss_angle=self.loss_geometry_weight * self.angle_weight *
                loss_angle)
        else:
            loss_q = quad_loss(pred, target, gt['norm'][pos]).mean()
            losses.update(loss_quad=self.loss_geometry_weight * loss_q)
        return losses
