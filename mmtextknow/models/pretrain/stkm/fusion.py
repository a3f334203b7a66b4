# Copyright (c) mmtextknow contributors. All rights reserved.
"""STKM's fusion of the FPN levels into one feature map (paper eq. 1)."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS


@MODELS.register_module()
class STKMFeatureFusion(BaseModule):
    """Fuse the FPN levels P2..P5 into one map of ``out_channels``.

    Every level is resized to the size of the first one (P2, stride 4),
    the levels are concatenated (``num_levels * in_channels`` channels),
    a ``kernel_size`` conv + BN + ReLU reduces them to ``out_channels``
    and, for ``out_stride=8``, a 2x2 max-pool halves the result.

    Paper vs code: the paper's eq. 1 writes
    ``Down2(P2) || P3 || Up2(P4) || Up4(P5)`` (stride 8) followed by a
    1x1 conv, while its text says the result is ``H/4 x W/4``; the
    authors' code resizes to stride 4, applies a 3x3 conv and max-pools
    to stride 8. Paper: ``kernel_size=1``; code: ``kernel_size=3``;
    ``out_stride=8`` (eq. 1 and the code) or 4 (the paper's text, 4x the
    tokens of stride 8).

    Args:
        in_channels (int): Channels of each FPN level. Defaults to 256.
        num_levels (int): Number of FPN levels fused. Defaults to 4.
        out_channels (int): Channels of the fused map. Defaults to 512.
        kernel_size (int): Kernel of the reducing conv, 1 (paper) or 3
            (code). Defaults to 1.
        out_stride (int): 4 (no pooling) or 8 (2x2 max-pool, code).
            Defaults to 8.
        upsample_mode (str): ``F.interpolate`` mode of the resizing.
            Defaults to ``'nearest'``.
        norm_cfg (dict): Norm layer of the conv. Defaults to
            ``dict(type='BN')``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int = 256,
                 num_levels: int = 4,
                 out_channels: int = 512,
                 kernel_size: int = 1,
                 out_stride: int = 8,
                 upsample_mode: str = 'nearest',
                 norm_cfg: Dict = dict(type='BN'),
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if out_stride not in (4, 8):
            raise ValueError(f'out_stride must be 4 or 8, got {out_stride}')
        if kernel_size % 2 != 1:
            raise ValueError(f'kernel_size must be odd, got {kernel_size}')
        self.num_levels = num_levels
        self.out_channels = out_channels
        self.out_stride = out_stride
        self.upsample_mode = upsample_mode
        self.reduce = ConvModule(
            in_channels * num_levels,
            out_channels,
            kernel_size,
            padding=kernel_size // 2,
            norm_cfg=norm_cfg,
            act_cfg=dict(type='ReLU'))
        self.pool = nn.MaxPool2d(2) if out_stride == 8 else nn.Identity()

    def forward(self, feats: Sequence[torch.Tensor]) -> torch.Tensor:
        """Fuse the levels.

        Args:
            feats (Sequence[torch.Tensor]): P2..P5, each
                ``N x in_channels x H_i x W_i``, finest first.

        Returns:
            torch.Tensor: ``N x out_channels x H x W``, ``H`` and ``W``
            those of P2 divided by ``out_stride / 4``.
        """
        if len(feats) != self.num_levels:
            raise ValueError(f'expected {self.num_levels} levels, got '
                             f'{len(feats)}')
        size = feats[0].shape[-2:]
        resized = [feats[0]] + [
            F.interpolate(feat, size=size, mode=self.upsample_mode)
            for feat in feats[1:]
        ]
        return self.pool(self.reduce(torch.cat(resized, dim=1)))
