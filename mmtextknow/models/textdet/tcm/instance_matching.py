# Copyright (c) mmtextknow contributors. All rights reserved.
"""TCM's instance-language matching: the score map and its auxiliary loss.

The score map is the cosine similarity of every pixel embedding with the
text embedding. Its auxiliary loss divides it by a temperature, upsamples it
bilinearly to the target's size and applies, against the detector's text
target inside its effective mask, either a balanced BCE with logits with
online hard negative mining (MMOCR's
:class:`~mmocr.models.common.losses.MaskedBalancedBCEWithLogitsLoss`; TCM's
DBNet and FCENet) or a squared Dice loss on the pixels kept by per-image
online hard example mining (MMOCR's
:class:`~mmocr.models.common.losses.MaskedSquareDiceLoss`; TCM's PANet).
"""
from typing import Optional

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmocr.models.common.losses import (MaskedBalancedBCEWithLogitsLoss,
                                        MaskedSquareDiceLoss)
from mmocr.registry import MODELS
from torch import Tensor

#: The auxiliary losses :class:`InstanceLanguageMatching` offers.
MATCHING_LOSSES = ('balanced_bce', 'ohem_dice')


def ohem_masks(scores: Tensor, target: Tensor, mask: Tensor,
               neg_ratio: float) -> Tensor:
    """Per-image online hard example mining (PANet's rule).

    For each image (leading dimension) with ``P`` positive pixels inside
    the mask and ``N`` negative pixels (anywhere), the kept pixels are the
    positives and the negatives scoring at least the ``n``-th highest
    negative score, ``n = min(int(neg_ratio * P), N)``, both restricted to
    the mask. An image with ``P = 0`` or ``n = 0`` keeps its whole mask.

    Args:
        scores (Tensor): Scores (logits or probabilities), ``B x ...``.
        target (Tensor): 0/1 target of the same shape.
        mask (Tensor): 0/1 effective mask of the same shape.
        neg_ratio (float): Negatives kept per positive.

    Returns:
        Tensor: The 0/1 float mask of the kept pixels, shaped as
        ``scores``.
    """
    b = scores.shape[0]
    flat = scores.detach().reshape(b, -1)
    positive = target.reshape(b, -1) > 0.5
    valid = mask.reshape(b, -1) > 0.5
    num_pos = (positive & valid).sum(1)
    num_neg = torch.minimum((num_pos.float() * neg_ratio).long(),
                            (~positive).sum(1))
    negative_scores = flat.masked_fill(positive, float('-inf'))
    ranked = negative_scores.sort(dim=1, descending=True).values
    threshold = ranked.gather(1, (num_neg - 1).clamp(min=0)[:, None])
    kept = ((flat >= threshold) | positive) & valid
    whole_mask = ((num_pos == 0) | (num_neg == 0))[:, None]
    kept = torch.where(whole_mask, valid, kept)
    return kept.reshape(scores.shape).to(scores.dtype)


@MODELS.register_module()
class InstanceLanguageMatching(BaseModule):
    """Instance-language matching of TCM.

    Args:
        tau (float): Temperature dividing the score map into logits.
            Defaults to 0.07.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
        neg_ratio (float): Number of hard negatives per positive. Defaults
            to 3.0.
        fallback_negative_num (int): When an input has no positive pixel in
            its mask, the loss takes the ``fallback_negative_num`` hardest
            negatives (all of them if there are fewer), so that text-free
            crops still push the score map down. Defaults to 100.
        eps (float): Added to the denominator of the loss. Defaults to
            1e-6.
        loss_type (str): ``'balanced_bce'`` (below) or ``'ohem_dice'``:
            :func:`ohem_masks` per image (``neg_ratio`` negatives per
            positive) on the logits, then MMOCR's
            :class:`~mmocr.models.common.losses.MaskedSquareDiceLoss` of
            ``sigmoid(logits)`` on the kept pixels, averaged over the
            images (TCM's PANet). Defaults to ``'balanced_bce'``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    With ``loss_type='balanced_bce'`` the loss of :meth:`loss` is MMOCR's
    :class:`~mmocr.models.common.losses.MaskedBalancedBCEWithLogitsLoss`:
    with ``l`` the per-pixel BCE with logits, ``P`` the positive pixels
    (``target * mask``) and ``N`` the ``min(#negatives, int(neg_ratio *
    |P|))`` negatives in the mask with the largest ``l`` (the hardest),
    ``loss = (sum_P l + sum_N l) / (|P| + |N| + eps)``. Hard negatives are
    mined over the whole batch at once (not per image), as in MMOCR's DBNet.
    """

    def __init__(self,
                 tau: float = 0.07,
                 loss_weight: float = 1.0,
                 neg_ratio: float = 3.0,
                 fallback_negative_num: int = 100,
                 eps: float = 1e-6,
                 loss_type: str = 'balanced_bce',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if tau <= 0:
            raise ValueError(f'tau must be > 0, got {tau}')
        if loss_type not in MATCHING_LOSSES:
            raise ValueError(f'loss_type must be one of {MATCHING_LOSSES}, '
                             f'got {loss_type!r}')
        self.loss_type = loss_type
        self.tau = tau
        self.loss_weight = loss_weight
        self.neg_ratio = neg_ratio
        self.fallback_negative_num = fallback_negative_num
        self.eps = eps
        self.bce_loss = MaskedBalancedBCEWithLogitsLoss(
            reduction='none',
            negative_ratio=neg_ratio,
            fallback_negative_num=int(fallback_negative_num),
            eps=float(eps))
        self.dice_loss = MaskedSquareDiceLoss()

    def score_map(self, dense: Tensor, text: Tensor) -> Tensor:
        """Cosine similarity of pixel and text embeddings.

        Args:
            dense (Tensor): Pixel embeddings, ``B x D x h x w``.
            text (Tensor): Text embeddings, ``B x K x D`` (or ``K x D``,
                shared by the images); ``K = 1`` in TCM.

        Returns:
            Tensor: The score map, ``B x K x h x w``, in ``[-1, 1]``.
        """
        dense = F.normalize(dense, dim=1)
        text = F.normalize(text, dim=-1)
        if text.dim() == 2:
            return torch.einsum('bchw,kc->bkhw', dense, text)
        return torch.einsum('bchw,bkc->bkhw', dense, text)

    def forward(self, dense: Tensor, text: Tensor) -> Tensor:
        """Same as :meth:`score_map`."""
        return self.score_map(dense, text)

    def loss(self,
             score_map: Tensor,
             target: Tensor,
             mask: Optional[Tensor] = None) -> Tensor:
        """Auxiliary loss of the score map.

        Args:
            score_map (Tensor): ``B x K x h x w`` cosine similarities.
            target (Tensor): 0/1 text-kernel target, ``B x H x W`` (used for
                every one of the ``K`` channels) or ``B x K x H x W``.
            mask (Tensor, optional): 0/1 effective mask of the same shape as
                ``target`` (pixels at 0 are ignored). Defaults to None (all
                pixels count).

        Returns:
            Tensor: The weighted loss, a scalar.
        """
        if target.dim() == 3:
            target = target.unsqueeze(1)
        if mask is None:
            mask = torch.ones_like(target)
        elif mask.dim() == 3:
            mask = mask.unsqueeze(1)
        if target.dim() != 4 or target.shape[0] != score_map.shape[0]:
            raise ValueError(
                f'target {tuple(target.shape)} does not match the score map '
                f'{tuple(score_map.shape)}')
        if mask.shape != target.shape:
            raise ValueError(f'mask {tuple(mask.shape)} and target '
                             f'{tuple(target.shape)} differ in shape')
        logits = F.interpolate(
            score_map.float() / self.tau,
            size=target.shape[-2:],
            mode='bilinear',
            align_corners=False)
        target = target.to(logits).expand_as(logits)
        mask = mask.to(logits).expand_as(logits)
        if self.loss_type == 'ohem_dice':
            kept = ohem_masks(logits, target, mask, self.neg_ratio)
            return self.loss_weight * self.dice_loss(logits.sigmoid(),
                                                     target, kept)
        return self.loss_weight * self.bce_loss(logits, target, mask)
