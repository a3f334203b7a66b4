# Copyright (c) mmtextknow contributors. All rights reserved.
"""EAST's U-shaped feature-merging branch."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class EASTNeck(BaseModule):
    """The feature-merging branch of EAST (Zhou et al., CVPR 2017, Fig. 3).

    With the backbone's features ``f_1`` (deepest, stride 32) to ``f_4``
    (stride 4): ``h_1 = f_1``; for ``i = 2..4``, ``g_{i-1}`` is ``h_{i-1}``
    upsampled (bilinear, x2, to ``f_i``'s size) and ``h_i =
    conv3x3(conv1x1([g_{i-1}; f_i]))`` with ``merge_channels[i - 2]``
    channels; the output is ``conv3x3(h_4)`` with ``out_channels``
    channels at stride 4. Every convolution has batch norm and ReLU (as in
    the authors' code).

    Args:
        in_channels (Sequence[int]): Channels of the backbone's outputs from
            shallow to deep (``f_4 .. f_1``), e.g. ``(256, 512, 1024, 2048)``
            for ResNet-50.
        merge_channels (Sequence[int]): Channels of ``h_2, h_3, h_4``.
            Defaults to ``(128, 64, 32)`` (paper).
        out_channels (int): Channels of the output. Defaults to 32 (paper).
        norm_cfg (dict): Normalisation layers. Defaults to BN.
        init_cfg (dict or list[dict], optional): Initialisation.
    """

    def __init__(self,
                 in_channels: Sequence[int] = (256, 512, 1024, 2048),
                 merge_channels: Sequence[int] = (128, 64, 32),
                 out_channels: int = 32,
                 norm_cfg: Dict = dict(type='BN'),
                 init_cfg: Optional[Union[Dict, List[Dict]]] = dict(
                     type='Kaiming', layer='Conv2d')) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(in_channels) != len(merge_channels) + 1:
            raise ValueError(
                f'{len(in_channels)} input levels need '
                f'{len(in_channels) - 1} merge_channels, got '
                f'{len(merge_channels)}')
        deep_to_shallow = list(in_channels)[::-1]
        self.reduce = nn.ModuleList()
        self.merge = nn.ModuleList()
        prev = deep_to_shallow[0]
        for skip, ch in zip(deep_to_shallow[1:], merge_channels):
            self.reduce.append(
                ConvModule(prev + skip, ch, 1, norm_cfg=norm_cfg))
            self.merge.append(
                ConvModule(ch, ch, 3, padding=1, norm_cfg=norm_cfg))
            prev = ch
        self.out_conv = ConvModule(
            prev, out_channels, 3, padding=1, norm_cfg=norm_cfg)

    def forward(self, inputs: Tuple[Tensor, ...]) -> Tensor:
        """Merge the backbone's features (shallow to deep) into one map at
        the shallowest level's resolution."""
        feats = list(inputs)[::-1]
        h = feats[0]
        for skip, reduce, merge in zip(feats[1:], self.reduce, self.merge):
            g = F.interpolate(
                h, size=skip.shape[-2:], mode='bilinear', align_corners=False)
            h = merge(reduce(torch.cat([g, skip], dim=1)))
        return self.out_conv(h)
