"""SoftIoU loss of MGNet (eq. 1) and the per-sample reduction all MGNet
losses share."""
from typing import Optional, Union

import torch
from torch import Tensor, nn

from mmocr.registry import MODELS

from mmtextknow.datasets.mask_values import IGNORE_INDEX

SampleWeight = Optional[Union[Tensor, list]]


def graph_zero(anchor: Tensor) -> Tensor:
    """A float32 zero connected to ``anchor``'s graph.

    Built from one element, so that neither a float16 overflow of a full
    sum nor an empty batch can make it anything but 0.
    """
    return anchor.reshape(-1)[:1].float().sum() * 0


def sample_weighted_mean(per_sample: Tensor, weight: SampleWeight,
                         anchor: Tensor) -> Tensor:
    """Average per-sample losses over the samples whose loss applies.

    ``weight`` is MGNet's indicator :math:`l_\\kappa` (bool) or any
    non-negative float weight. The result is
    :math:`\\sum_b w_b L_b / \\sum_b w_b`, i.e. the plain mean over the
    applicable samples for a bool indicator. When no sample applies
    (:math:`\\sum_b w_b = 0`, or an empty batch) the result is exactly 0,
    still connected to ``anchor``'s graph (:func:`graph_zero`), so that
    ``loss.backward()`` and the optimiser step never break.

    Args:
        per_sample (Tensor): Losses of shape (B, ). Entries of samples with
            zero weight may be anything finite; they are masked out.
        weight (Tensor or list, optional): Indicator / weights of shape
            (B, ). None means every sample applies.
        anchor (Tensor): The prediction the losses come from, used to build
            the graph-connected zero.

    Returns:
        Tensor: A scalar.
    """
    if weight is None:
        weight = per_sample.new_ones(per_sample.shape)
    weight = torch.as_tensor(
        weight, device=per_sample.device).to(per_sample.dtype).flatten()
    assert weight.numel() == per_sample.numel(), (
        f'{weight.numel()} sample weights for {per_sample.numel()} samples')
    total = weight.sum()
    zero = graph_zero(anchor)
    if per_sample.numel() == 0 or not bool(total > 0):
        return zero
    # ``where`` keeps a non-finite loss of an excluded sample out of the sum.
    masked = torch.where(weight > 0, per_sample * weight,
                         per_sample.new_zeros(()))
    return masked.sum() / total + zero


def soft_iou_loss(pred: Tensor,
                  target: Tensor,
                  eps: float = 1e-6,
                  ignore_index: Optional[int] = IGNORE_INDEX) -> Tensor:
    """Per-sample SoftIoU loss, MGNet eq. (1).

    .. math::
        L = 1 - \\frac{\\sum_i P_i G_i}{\\sum_i (P_i + G_i - P_i G_i)
        + \\epsilon}

    Eq. (1) prints the negative soft IoU; ``1 -`` only adds a constant so
    that the loss lies in [0, 1] (0 for a perfect prediction). The sums run
    over the pixels whose target is not ``ignore_index`` (don't care): an
    ignored pixel adds nothing and gets no gradient. Targets without that
    value give exactly the loss without ignore handling.

    Args:
        pred (Tensor): Probabilities (after sigmoid) of shape (B, ...).
        target (Tensor): Binary or soft targets of the same shape, with
            ``ignore_index`` at don't-care pixels.
        eps (float): Added to the union. Defaults to 1e-6.
        ignore_index (int, optional): The don't-care target value.
            Defaults to :data:`IGNORE_INDEX`; None ignores nothing.

    Returns:
        Tensor: Losses of shape (B, ).
    """
    assert pred.shape == target.shape, (
        f'pred {tuple(pred.shape)} vs target {tuple(target.shape)}')
    # float32 sums: a float16 sum over 512 x 512 pixels can overflow.
    pred = pred.flatten(1).float()
    target = target.flatten(1).float()
    if ignore_index is not None:
        ignored = target == ignore_index
        pred = torch.where(ignored, pred.new_zeros(()), pred)
        target = torch.where(ignored, target.new_zeros(()), target)
    inter = (pred * target).sum(1)
    union = (pred + target - pred * target).sum(1)
    return 1 - inter / (union + eps)


@MODELS.register_module()
class SoftIoULoss(nn.Module):
    """SoftIoU loss of MGNet (TIP 2021, eq. 1), applied per sample where the
    sample has the ground truth.

    Target pixels of value ``ignore_index`` (don't care) are left out of
    the soft intersection and union (:func:`soft_iou_loss`).

    Args:
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
        eps (float): Added to the soft union. Defaults to 1e-6.
        ignore_index (int, optional): The don't-care target value.
            Defaults to :data:`IGNORE_INDEX`; None ignores nothing.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 eps: float = 1e-6,
                 ignore_index: Optional[int] = IGNORE_INDEX) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.eps = eps
        self.ignore_index = ignore_index

    def forward(self,
                pred: Tensor,
                target: Tensor,
                weight: SampleWeight = None) -> Tensor:
        """Compute the loss.

        Args:
            pred (Tensor): Probabilities of shape (B, 1, H, W).
            target (Tensor): Ground truth in {0, 1} of shape (B, 1, H, W),
                ``ignore_index`` where don't care. Rows of samples without
                this ground truth may hold anything.
            weight (Tensor or list, optional): Indicator :math:`l_\\kappa`
                (bool) or float weights of shape (B, ). None: all apply.

        Returns:
            Tensor: ``loss_weight`` times the mean loss over the applicable
            samples; a graph-connected 0 when none applies.
        """
        per_sample = soft_iou_loss(pred, target, self.eps, self.ignore_index)
        return self.loss_weight * sample_weighted_mean(per_sample, weight,
                                                       pred)
