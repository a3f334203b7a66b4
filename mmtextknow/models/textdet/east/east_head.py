# Copyright (c) mmtextknow contributors. All rights reserved.
"""EAST's output layer: score map and RBOX / QUAD geometry."""
import math
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmocr.models.textdet.heads import BaseTextDetHead
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import DetSampleList
from torch import Tensor, nn


@MODELS.register_module()
class EASTHead(BaseTextDetHead):
    """EAST's head: 1x1 convolutions to a score map and a geometry map.

    * score: one channel; the head returns logits (the loss applies the
      sigmoid, the postprocessor too);
    * RBOX: 4 side distances ``sigmoid(x) * geo_scale`` (input pixels) and
      an angle ``(sigmoid(x) - 0.5) * pi / 2`` in ``(-pi/4, pi/4)``: the
      bounded outputs of the authors' code (``text_scale`` 512);
    * QUAD: 8 vertex offsets ``(sigmoid(x) - 0.5) * 2 * geo_scale`` in
      input pixels.

    Args:
        in_channels (int): Channels of the neck's output. Defaults to 32.
        geometry (str): ``'RBOX'`` or ``'QUAD'``; must match the loss's and
            the postprocessor's.
        geo_scale (float): Largest distance / offset the head can output,
            in input pixels. Defaults to 512.
        module_loss (dict): :class:`EASTModuleLoss` config.
        postprocessor (dict): :class:`EASTPostprocessor` config.
        init_cfg (dict or list[dict], optional): Initialisation.
    """

    def __init__(self,
                 in_channels: int = 32,
                 geometry: str = 'RBOX',
                 geo_scale: float = 512.,
                 module_loss: Dict = dict(type='EASTModuleLoss'),
                 postprocessor: Dict = dict(type='EASTPostprocessor'),
                 init_cfg: Optional[Union[Dict, List[Dict]]] = dict(
                     type='Kaiming', layer='Conv2d')) -> None:
        if geometry not in ('RBOX', 'QUAD'):
            raise ValueError(
                f"geometry must be 'RBOX' or 'QUAD', got {geometry!r}")
        for name, cfg in (('module_loss', module_loss),
                          ('postprocessor', postprocessor)):
            if cfg is not None and cfg.get('geometry', 'RBOX') != geometry:
                raise ValueError(
                    f'head geometry {geometry!r} but {name} geometry '
                    f"{cfg.get('geometry', 'RBOX')!r}")
        super().__init__(
            module_loss=module_loss,
            postprocessor=postprocessor,
            init_cfg=init_cfg)
        self.geometry = geometry
        self.geo_scale = geo_scale
        self.score_conv = nn.Conv2d(in_channels, 1, 1)
        self.geo_conv = nn.Conv2d(in_channels,
                                  4 if geometry == 'RBOX' else 8, 1)
        self.angle_conv = (
            nn.Conv2d(in_channels, 1, 1) if geometry == 'RBOX' else None)

    def forward(self,
                x: Tensor,
                data_samples: Optional[DetSampleList] = None
                ) -> Tuple[Tensor, Tensor]:
        """Score logits ``(N, 1, H, W)`` and geometry ``(N, 5 or 8, H, W)``
        from the neck's features ``x``."""
        score = self.score_conv(x)
        geo = self.geo_conv(x).sigmoid()
        if self.geometry == 'RBOX':
            angle = (self.angle_conv(x).sigmoid() - 0.5) * (math.pi / 2)
            geo = geo * self.geo_scale
            return score, torch.cat([geo, angle], dim=1)
        return score, (geo - 0.5) * (2 * self.geo_scale)

