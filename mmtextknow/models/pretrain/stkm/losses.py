# Copyright (c) mmtextknow contributors. All rights reserved.
"""The loss of STKM: KL divergence to a label-smoothed target (eq. 4-5)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS


@MODELS.register_module()
class LabelSmoothedKLLoss(nn.Module):
    """KL divergence between a label-smoothed one-hot target and the
    predicted distribution, as in STKM (eq. 4-5).

    For a target token of class ``y`` among ``C`` classes the smoothed
    target is ``g_c = (1 - eps) * [c == y] + eps / C`` and the token's loss
    is ``KL(g || p) = sum_c g_c * (log g_c - log p_c)`` with
    ``p = softmax(logits)``. Positions whose target is ``pad_idx`` contribute
    nothing; the sum over the other tokens is divided by their number (by 1
    when there is none, so an all-padding batch gives a loss of 0).

    The sum is expanded so that nothing larger than ``N x T x C`` (the
    log-softmax) is materialised::

        sum_c g_c log g_c = (1 - eps + eps/C) log(1 - eps + eps/C)
                            + (C - 1) (eps/C) log(eps/C)   (a constant)
        sum_c g_c log p_c = (1 - eps) log p_y + (eps/C) sum_c log p_c

    With ``eps = 0`` this is the cross-entropy of the non-padding tokens.

    Args:
        epsilon (float): Smoothing factor in ``[0, 1)``. Defaults to 0.1.
        pad_idx (int): Class index of the padding token (OTSG's POS).
            Defaults to 0.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
    """

    def __init__(self,
                 epsilon: float = 0.1,
                 pad_idx: int = 0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if not 0 <= epsilon < 1:
            raise ValueError(f'epsilon must be in [0, 1), got {epsilon}')
        self.epsilon = float(epsilon)
        self.pad_idx = int(pad_idx)
        self.loss_weight = float(loss_weight)

    @staticmethod
    def _xlogx(x: float) -> float:
        """``x * log(x)`` with ``0 log 0 = 0``."""
        return x * math.log(x) if x > 0 else 0.

    def target_entropy_term(self, num_classes: int) -> float:
        """``sum_c g_c log g_c`` of one smoothed target (a constant).

        Args:
            num_classes (int): Number of classes ``C``.

        Returns:
            float: The negative entropy of the smoothed target.
        """
        off = self.epsilon / num_classes
        return (self._xlogx(1 - self.epsilon + off) +
                (num_classes - 1) * self._xlogx(off))

    def forward(self, logits: torch.Tensor,
                targets: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            logits (torch.Tensor): Unnormalised scores, ``N x T x C``.
            targets (torch.Tensor): Class indexes, ``N x T`` (long).

        Returns:
            torch.Tensor: The weighted scalar loss.
        """
        if logits.dim() != 3 or targets.shape != logits.shape[:2]:
            raise ValueError('expected logits N x T x C and targets N x T, '
                             f'got {tuple(logits.shape)} and '
                             f'{tuple(targets.shape)}')
        num_classes = logits.size(-1)
        targets = targets.long()
        log_probs = F.log_softmax(logits, dim=-1)
        valid = targets != self.pad_idx
        # gather needs a valid index at padding positions too; masked below
        safe_targets = targets.masked_fill(~valid, 0)
        log_p_target = log_probs.gather(-1, safe_targets.unsqueeze(-1))
        log_p_target = log_p_target.squeeze(-1)
        cross = (1 - self.epsilon) * log_p_target
        if self.epsilon > 0:
            cross = cross + (self.epsilon / num_classes) * log_probs.sum(-1)
        token_loss = self.target_entropy_term(num_classes) - cross
        token_loss = token_loss.masked_fill(~valid, 0.)
        num_tokens = valid.sum().clamp(min=1)
        loss = token_loss.sum() / num_tokens
        return self.loss_weight * loss
