# Copyright (c) mmtextknow contributors. All rights reserved.
"""Loading a checkpoint of a narrower first layer into a widened one."""
from typing import Optional

import torch
from mmengine.logging import print_log
from torch import nn


def widen_conv_weight(weight: torch.Tensor,
                      in_channels: int,
                      std: float = 0.0,
                      generator: Optional[torch.Generator] = None
                      ) -> torch.Tensor:
    """Append input channels to a convolution weight.

    The given channels are kept as they are (the result's
    ``[:, :weight.shape[1]]`` equals ``weight`` exactly); the new ones are
    zeros, or drawn from N(0, ``std``) when ``std > 0``.

    Args:
        weight (Tensor): ``(out, in, kh, kw)`` weight.
        in_channels (int): Input channels of the result (>= ``in``).
        std (float): Standard deviation of the new weights. Defaults to 0
            (zeros: the widened layer computes what the narrow one did,
            whatever the new channels hold).
        generator (torch.Generator, optional): Random generator of the new
            weights. Defaults to torch's global one.

    Returns:
        Tensor: The ``(out, in_channels, kh, kw)`` weight.
    """
    if weight.dim() != 4:
        raise ValueError(f'expected a 4-D convolution weight, got shape '
                         f'{tuple(weight.shape)}')
    extra = in_channels - weight.shape[1]
    if extra < 0:
        raise ValueError(f'cannot widen {weight.shape[1]} input channels to '
                         f'{in_channels}')
    if std < 0:
        raise ValueError(f'std must be >= 0, got {std}')
    shape = (weight.shape[0], extra) + tuple(weight.shape[2:])
    new = torch.zeros(shape, dtype=weight.dtype, device=weight.device)
    if std > 0:
        new = torch.randn(
            shape, generator=generator, dtype=weight.dtype,
            device='cpu').to(weight.device) * std
    return torch.cat([weight, new], dim=1)


class WidenInputConvHook:
    """A load-state-dict pre-hook of a convolution: a checkpoint weight with
    fewer input channels than the layer is widened before it is loaded.

    Registered with :meth:`torch.nn.Module.register_load_state_dict_pre_hook`
    on the layer, it runs inside every ``load_state_dict`` (torch's and
    mmengine's: ``load_from``, ``init_cfg=dict(type='Pretrained')``,
    ``tools/test.py``), so the pretrained weights of the original channels
    are loaded exactly and the new channels get
    :func:`widen_conv_weight`'s weights. A weight of the layer's own shape,
    or of a shape that differs otherwise, is left to the normal loading.

    Args:
        std (float): Standard deviation of the new channels' weights;
            0 (default) gives zeros.
        name (str): The layer's name in log messages.
    """

    def __init__(self, std: float = 0.0, name: str = '') -> None:
        if std < 0:
            raise ValueError(f'std must be >= 0, got {std}')
        self.std = std
        self.name = name

    def __call__(self, module: nn.Module, state_dict: dict, prefix: str,
                 *args) -> None:
        key = prefix + 'weight'
        weight = state_dict.get(key)
        own = getattr(module, 'weight', None)
        if weight is None or own is None or weight.dim() != 4:
            return
        if weight.shape[1] >= own.shape[1] or \
                weight.shape[0] != own.shape[0] or \
                weight.shape[2:] != own.shape[2:]:
            return
        state_dict[key] = widen_conv_weight(weight, own.shape[1], self.std)
        print_log(
            f'{self.name or key}: checkpoint weight with {weight.shape[1]} '
            f'input channel(s) widened to {own.shape[1]} (new channels: '
            + (f'N(0, {self.std})' if self.std > 0 else 'zeros') + ')',
            logger='current')
