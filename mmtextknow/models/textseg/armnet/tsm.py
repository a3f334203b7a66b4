"""ARM-Net's Text Segmentation Module (TSM = GTM + DTM)."""
from typing import Optional, Sequence

import torch
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn

from .dtm import ARMNetDTM
from .gtm import ARMNetGTM


@MODELS.register_module()
class ARMNetTSM(BaseModule):
    """Text Segmentation Module of ARM-Net (Sec. 3.2, Fig. 3 of the paper).

    Paper: the GTM and the DTM read the same backbone features; every DTM
    feature is concatenated with the GTM's output ``H'``. Table 3 ablates
    the two sub-modules, Table 4 the DTM's dilation rates: here they are
    ``use_gtm``, ``use_dtm`` and ``dilations``.

    Our reading / additions: the paper fuses by concatenation only and
    names no fusion conv; ``out_channels`` adds an optional 1x1 conv + norm
    + act after the concatenation so the decoder gets a fixed width
    (``None`` keeps the plain concatenation). By default the GTM works on
    ``channels`` after a conv in, like CCNet's head (``gtm_cfg=dict(
    channels=None)`` applies eq. (1) on the input directly).

    Args:
        in_channels (int): Channels of the input (backbone) features.
        channels (int): Width of the GTM and of every DTM layer.
            Defaults to 256.
        out_channels (int, optional): Channels of the 1x1 fusion conv.
            Defaults to None (no fusion conv, output = concatenation).
        use_gtm (bool): Whether to use the GTM. Defaults to True.
        use_dtm (bool): Whether to use the DTM. Defaults to True.
        dilations (Sequence[int]): The DTM's dilation rates.
            Defaults to ``(1, 2, 3, 6)``.
        recurrence (int): The GTM's criss-cross passes. Defaults to 2.
        gtm_cfg (dict, optional): Further keyword arguments of
            :class:`ARMNetGTM` (they override the ones above).
        dtm_cfg (dict, optional): Further keyword arguments of
            :class:`ARMNetDTM` (they override the ones above).
        conv_cfg (dict, optional): Conv layer config.
        norm_cfg (dict, optional): Norm layer config. Defaults to BN.
        act_cfg (dict, optional): Activation config. Defaults to ReLU.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 channels: int = 256,
                 out_channels: Optional[int] = None,
                 use_gtm: bool = True,
                 use_dtm: bool = True,
                 dilations: Sequence[int] = (1, 2, 3, 6),
                 recurrence: int = 2,
                 gtm_cfg: Optional[dict] = None,
                 dtm_cfg: Optional[dict] = None,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not (use_gtm or use_dtm):
            raise ValueError('ARMNetTSM needs at least one of use_gtm and '
                             'use_dtm; to drop the TSM altogether (Table 2, '
                             'first row) leave it out of the model instead')
        layer_cfg = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.in_channels = in_channels
        gtm_kwargs = dict(channels=channels, recurrence=recurrence,
                          **layer_cfg)
        gtm_kwargs.update(gtm_cfg or {})
        dtm_kwargs = dict(channels=channels, dilations=dilations, **layer_cfg)
        dtm_kwargs.update(dtm_cfg or {})
        self.gtm = ARMNetGTM(in_channels, **gtm_kwargs) if use_gtm else None
        self.dtm = ARMNetDTM(in_channels, **dtm_kwargs) if use_dtm else None
        concat_channels = sum(
            module.out_channels for module in (self.gtm, self.dtm)
            if module is not None)
        if out_channels is None:
            self.fusion = nn.Identity()
            self.out_channels = concat_channels
        else:
            self.fusion = ConvModule(
                concat_channels, out_channels, 1, **layer_cfg)
            self.out_channels = out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward.

        Args:
            x (Tensor): ``B x in_channels x H x W`` backbone features.

        Returns:
            Tensor: ``B x out_channels x H x W``: ``[H'; DTM features]``
            (fused by the 1x1 conv if ``out_channels`` was given).
        """
        feats = [
            module(x) for module in (self.gtm, self.dtm) if module is not None
        ]
        return self.fusion(torch.cat(feats, dim=1))
