"""MGNet's guided decoder: a mask decoder conditioned on a guidance map."""
from typing import Optional, Sequence

import torch
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn


@MODELS.register_module()
class MGNetGuidedDecoder(BaseModule):
    """Decoder ``D_k`` of MGNet (Table I (b)) with its guidance encoder.

    The guidance map ``G`` (a probability map, ``B x 1 x H x W``; zeros in
    phase 1, the other branch's output in phase 2) is encoded by a guidance
    encoder of the image encoder's structure; its features are concatenated
    with the image features ``E(I)``. A 3x3 fusion conv brings the
    concatenation to ``channels[0]`` (Table I lists the first up-sampling at
    512 channels, i.e. after such a fusion; the paper does not print it).
    Then each stage is ``upsample x2, conv, conv``; a 1x1 conv and a sigmoid
    give the mask probability at the input resolution.

    Args:
        in_channels (int): Channels of the image features ``E(I)``.
        guidance_encoder (dict): Config of the guidance encoder; its
            ``out_channels`` and output stride must match the image
            encoder's.
        channels (Sequence[int]): Output channels of the up-sampling stages.
            Defaults to Table I's ``(256, 128, 64, 64)`` after a 512-channel
            fusion: ``fusion_channels=512``.
        fusion_channels (int): Channels after fusing image and guidance
            features. Defaults to 512.
        norm_cfg (dict): Normalisation layer. Defaults to BN.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 guidance_encoder: dict,
                 channels: Sequence[int] = (256, 128, 64, 64),
                 fusion_channels: int = 512,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.guidance_encoder = MODELS.build(guidance_encoder)
        self.fusion = ConvModule(
            in_channels + self.guidance_encoder.out_channels,
            fusion_channels, 3, padding=1, norm_cfg=norm_cfg)
        stages = []
        prev = fusion_channels
        for out_channels in channels:
            stages.append(
                nn.Sequential(
                    nn.Upsample(scale_factor=2, mode='bilinear',
                                align_corners=False),
                    ConvModule(prev, out_channels, 3, padding=1,
                               norm_cfg=norm_cfg),
                    ConvModule(out_channels, out_channels, 3, padding=1,
                               norm_cfg=norm_cfg)))
            prev = out_channels
        self.stages = nn.Sequential(*stages)
        self.out_conv = nn.Conv2d(prev, 1, kernel_size=1)

    def forward(self, image_feats: torch.Tensor,
                guidance: torch.Tensor) -> torch.Tensor:
        """Decode a mask probability map.

        Args:
            image_feats (Tensor): ``E(I)``, ``B x C x h x w``.
            guidance (Tensor): ``B x 1 x H x W`` guidance map at the input
                resolution.

        Returns:
            Tensor: ``B x 1 x H x W`` probabilities in (0, 1).
        """
        guide_feats = self.guidance_encoder(guidance)
        x = self.fusion(torch.cat([image_feats, guide_feats], dim=1))
        return self.out_conv(self.stages(x)).sigmoid()
