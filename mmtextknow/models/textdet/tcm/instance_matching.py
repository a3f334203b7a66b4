# Copyright (c) mmtextknow contributors. All rights reserved.
"""TCM's instance-language matching: the score map and its auxiliary loss.

The score map is the cosine similarity of every pixel embedding with the
text embedding. Its auxiliary loss divides it by a temperature, upsamples it
bilinearly to the target's size and applies a balanced BCE with logits with
online hard negative mining (MMOCR's
:class:`~mmocr.models.common.losses.MaskedBalancedBCEWithLogitsLoss`)
against the detector's shrunk text-kernel target inside its effective mask.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmocr.models.common.losses import MaskedBalancedBCEWithLogitsLoss
from mmocr.registry import MODELS
from torch import Tensor


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
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    The loss of :meth:`loss` is MMOCR's
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
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if tau <= 0:
            raise ValueError(f'tau must be > 0, got {tau}')
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
        return self.loss_weight * self.bce_loss(logits, target, mask)
