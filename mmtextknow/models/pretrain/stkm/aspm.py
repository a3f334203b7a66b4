# Copyright (c) mmtextknow contributors. All rights reserved.
"""STKM's adaptive spatial position map (ASPM)."""
from typing import Dict, Optional, Tuple

import torch
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS


@MODELS.register_module()
class AdaptiveSpatialPositionMap(BaseModule):
    """Add a learned map of the pixel coordinates to a feature map.

    A coordinate map ``M`` (channel 0 = row / H, channel 1 = column / W,
    both in ``[0, 1)``) goes through a 1x1 conv ``2 -> channels``, BN and
    a sigmoid (the authors' code) to give ``S`` in ``(0, 1)``; the output
    is ``F + S``. The coordinate grid is cached per
    ``(H, W, device, dtype)``.

    Args:
        channels (int): Channels of the feature map. Defaults to 512.
        norm_cfg (dict): Norm layer after the conv. Defaults to
            ``dict(type='BN')``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 channels: int = 512,
                 norm_cfg: Dict = dict(type='BN'),
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.channels = channels
        self.proj = ConvModule(
            2, channels, 1, norm_cfg=norm_cfg, act_cfg=dict(type='Sigmoid'))
        self._grids: Dict[Tuple, torch.Tensor] = {}

    def coordinate_map(self, height: int, width: int, device: torch.device,
                       dtype: torch.dtype) -> torch.Tensor:
        """The (cached) normalised coordinate map.

        Args:
            height (int): Map height H.
            width (int): Map width W.
            device (torch.device): Device of the map.
            dtype (torch.dtype): Data type of the map.

        Returns:
            torch.Tensor: ``1 x 2 x H x W``; ``[0, 0, j, i] = j / H`` and
            ``[0, 1, j, i] = i / W``.
        """
        key = (height, width, str(device), dtype)
        grid = self._grids.get(key)
        if grid is None:
            rows = torch.arange(height, device=device, dtype=dtype) / height
            cols = torch.arange(width, device=device, dtype=dtype) / width
            grid = torch.stack(
                torch.meshgrid(rows, cols, indexing='ij'), dim=0)[None]
            self._grids[key] = grid
        return grid

    def position_map(self, feat: torch.Tensor) -> torch.Tensor:
        """The learned position map ``S`` for ``feat``'s size.

        Args:
            feat (torch.Tensor): ``N x C x H x W``.

        Returns:
            torch.Tensor: ``1 x C x H x W`` in ``(0, 1)``.
        """
        height, width = feat.shape[-2:]
        return self.proj(
            self.coordinate_map(height, width, feat.device, feat.dtype))

    def forward(self, feat: torch.Tensor) -> torch.Tensor:
        """Return ``feat + S``.

        Args:
            feat (torch.Tensor): ``N x C x H x W``.

        Returns:
            torch.Tensor: ``N x C x H x W``.
        """
        return feat + self.position_map(feat)
