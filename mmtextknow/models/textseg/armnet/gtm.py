"""ARM-Net's Global Text Module (GTM): recurrent criss-cross attention."""
from typing import Optional

import torch
from mmcv.cnn import ConvModule
from mmcv.ops import CrissCrossAttention
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn


@MODELS.register_module()
class ARMNetGTM(BaseModule):
    """Global Text Module of ARM-Net (Sec. 3.2, eq. (1) of the paper).

    Paper: Q, K and V come from 1x1 convs; each pixel ``u`` attends to the
    ``H + W - 1`` positions of its row and column,
    ``H'_u = softmax(Q_u K_u^T) V_u + H_u`` (eq. (1)), and criss-cross
    attention is applied twice so that every pixel receives information
    from every other pixel. One pass is mmcv's
    :class:`~mmcv.ops.CrissCrossAttention` (reused, not copied); the
    ``recurrence`` passes share its weights, as in CCNet.

    Our reading / additions:

    - eq. (1) adds the attended values without a scale. mmcv (like CCNet)
      multiplies them by a learnable ``gamma`` initialised to 0, which
      would make the module an identity at initialisation. With
      ``gamma_init=None`` (default) the scale is removed, which is eq. (1)
      literally; a float keeps mmcv's learnable scale initialised to it
      (``0.`` reproduces CCNet).
    - The paper does not describe convs around the attention. With
      ``channels`` set, a ``conv_kernel_size`` conv + norm + act maps the
      input to ``channels`` before the attention and another one follows
      it, as in CCNet's RCCA head; with ``channels=None`` the module is
      eq. (1) alone and keeps ``in_channels``.

    Args:
        in_channels (int): Channels of the input feature map.
        channels (int, optional): Channels the attention works on; enables
            the conv in and conv out. Defaults to None (no convs).
        recurrence (int): Criss-cross passes sharing weights. Defaults to 2
            (the paper's value, the smallest that connects all pixels).
        conv_kernel_size (int): Kernel size of the conv in / out.
            Defaults to 3.
        gamma_init (float, optional): See above. Defaults to None.
        conv_cfg (dict, optional): Conv layer config of the conv in / out.
        norm_cfg (dict, optional): Norm layer config of the conv in / out.
            Defaults to BN.
        act_cfg (dict, optional): Activation config of the conv in / out.
            Defaults to ReLU.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 channels: Optional[int] = None,
                 recurrence: int = 2,
                 conv_kernel_size: int = 3,
                 gamma_init: Optional[float] = None,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if recurrence < 1:
            raise ValueError(f'recurrence must be >= 1, got {recurrence}')
        attn_channels = in_channels if channels is None else channels
        if attn_channels < 8:
            raise ValueError('CrissCrossAttention projects Q and K to '
                             'channels // 8, so the attention needs at least '
                             f'8 channels, got {attn_channels}')
        self.in_channels = in_channels
        self.out_channels = attn_channels
        self.recurrence = recurrence

        conv_kwargs = dict(
            kernel_size=conv_kernel_size,
            padding=conv_kernel_size // 2,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        if channels is None:
            self.conv_in = nn.Identity()
            self.conv_out = nn.Identity()
        else:
            self.conv_in = ConvModule(in_channels, channels, **conv_kwargs)
            self.conv_out = ConvModule(channels, channels, **conv_kwargs)

        self.cca = CrissCrossAttention(attn_channels)
        if gamma_init is None:
            # eq. (1): H' = A V + H, no scale on the attended values.
            self.cca.gamma = nn.Identity()
        else:
            nn.init.constant_(self.cca.gamma.scale, gamma_init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward.

        Args:
            x (Tensor): ``B x in_channels x H x W``.

        Returns:
            Tensor: ``B x out_channels x H x W``, the augmented features
            ``H'``.
        """
        x = self.conv_in(x)
        for _ in range(self.recurrence):
            x = self.cca(x)
        return self.conv_out(x)
