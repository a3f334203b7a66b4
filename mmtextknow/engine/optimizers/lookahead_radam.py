# Copyright (c) mmtextknow contributors. All rights reserved.
"""Ranger: RAdam inside Lookahead, from torch and timm, for MMEngine.

``optim_wrapper=dict(optimizer=dict(type='LookaheadRAdam', lr=1e-3))`` builds
torch's :class:`torch.optim.RAdam` (the fast weights) wrapped in timm's
:class:`timm.optim.Lookahead` (every ``k`` steps the slow weights move a
fraction ``alpha`` towards the fast ones and the fast weights restart from
there). MMEngine's optimiser-wrapper constructors pass it the parameter
groups; the Lookahead's ``param_groups`` are RAdam's own, so learning-rate
schedules and per-group multipliers act on RAdam directly, and its
``state_dict`` holds RAdam's moments and Lookahead's slow weights.

timm is imported when the optimiser is built, not with mmtextknow.
"""
from typing import Iterable, Tuple, Union

import torch
from mmocr.registry import OPTIMIZERS


def build_lookahead_radam(
        params: Union[Iterable[torch.Tensor], Iterable[dict]],
        lr: float = 1e-3,
        betas: Tuple[float, float] = (0.95, 0.999),
        eps: float = 1e-5,
        weight_decay: float = 0.,
        alpha: float = 0.5,
        k: int = 6) -> torch.optim.Optimizer:
    """Lookahead (timm) around RAdam (torch), a.k.a. Ranger.

    Registered in ``OPTIMIZERS`` as ``'LookaheadRAdam'``. The defaults are
    those of the Ranger optimiser TCM's authors trained with (betas 0.95 /
    0.999, eps 1e-5, Lookahead alpha 0.5 every 6 steps, no weight decay).
    Their Ranger also centralises gradients; this one does not.

    Args:
        params (iterable): Parameters or parameter groups (dicts), as for
            any torch optimiser.
        lr (float): Learning rate. Defaults to 1e-3.
        betas (tuple[float, float]): RAdam's moment coefficients. Defaults
            to ``(0.95, 0.999)``.
        eps (float): RAdam's denominator term. Defaults to 1e-5.
        weight_decay (float): RAdam's (L2) weight decay. Defaults to 0.
        alpha (float): Lookahead's slow-weight step. Defaults to 0.5.
        k (int): Lookahead's synchronisation period in steps. Defaults
            to 6.

    Returns:
        timm.optim.Lookahead: The Lookahead, its ``_base_optimizer`` the
        RAdam.
    """
    from timm.optim import Lookahead
    radam = torch.optim.RAdam(
        params,
        lr=lr,
        betas=tuple(betas),
        eps=eps,
        weight_decay=weight_decay)
    return Lookahead(radam, alpha=alpha, k=k)


OPTIMIZERS.register_module(name='LookaheadRAdam', module=build_lookahead_radam)
