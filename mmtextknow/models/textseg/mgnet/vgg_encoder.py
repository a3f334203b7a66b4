"""MGNet's VGG-like encoder (Table I (a) of the paper)."""
from typing import Optional, Sequence

import torch
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn


@MODELS.register_module()
class MGNetVGGEncoder(BaseModule):
    """Stages of two 3x3 conv + BN + ReLU layers separated by 2x2 max-pools.

    With the default ``stage_channels=(64, 128, 256, 512, 512)`` this is
    Table I (a): 512x512x3 -> 32x32x512 (output stride 16). MGNet uses it
    both as the shared image encoder ``E`` and, with ``in_channels=1``, as
    the guidance encoder of each decoder.

    Args:
        in_channels (int): Input channels (3 for images, 1 for guidance).
        stage_channels (Sequence[int]): Output channels of each stage; a
            max-pool separates consecutive stages.
        convs_per_stage (int): Conv layers per stage. Defaults to 2.
        norm_cfg (dict): Normalisation layer. Defaults to BN.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int = 3,
                 stage_channels: Sequence[int] = (64, 128, 256, 512, 512),
                 convs_per_stage: int = 2,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        layers = []
        channels = in_channels
        for index, out_channels in enumerate(stage_channels):
            if index > 0:
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            for _ in range(convs_per_stage):
                layers.append(
                    ConvModule(channels, out_channels, 3, padding=1,
                               norm_cfg=norm_cfg))
                channels = out_channels
        self.layers = nn.Sequential(*layers)
        self.out_channels = channels
        self.output_stride = 2**(len(stage_channels) - 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode ``B x in_channels x H x W`` to ``B x C x H/s x W/s``."""
        return self.layers(x)
