"""ARM-Net's Dense Text Module (DTM): directional cascaded atrous convs."""
from typing import List, Optional, Sequence

import torch
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn


def directional_atrous_conv(in_channels: int, out_channels: int,
                            kernel_size: int, dilation: int, horizontal: bool,
                            **kwargs) -> ConvModule:
    """A ``1 x k`` (horizontal) or ``k x 1`` (vertical) atrous conv.

    The dilation acts only along the kernel's long side and the padding keeps
    the spatial size.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int): ``k``, odd.
        dilation (int): Dilation rate along the kernel's long side.
        horizontal (bool): ``1 x k`` if True, else ``k x 1``.
        **kwargs: ``conv_cfg``, ``norm_cfg``, ``act_cfg`` of ``ConvModule``.

    Returns:
        ConvModule: The conv (+ norm + act) layer.
    """
    pad = dilation * (kernel_size - 1) // 2
    if horizontal:
        shape = dict(kernel_size=(1, kernel_size), padding=(0, pad),
                     dilation=(1, dilation))
    else:
        shape = dict(kernel_size=(kernel_size, 1), padding=(pad, 0),
                     dilation=(dilation, 1))
    return ConvModule(in_channels, out_channels, **shape, **kwargs)


def directional_cascade(in_channels: int, channels: int,
                        dilations: Sequence[int], horizontal: bool,
                        **kwargs) -> nn.ModuleList:
    """Atrous convs of one direction, one per dilation rate.

    Args:
        in_channels (int): Input channels of the first conv.
        channels (int): Output channels of every conv (and input channels
            of all but the first).
        dilations (Sequence[int]): Dilation rates, in order.
        horizontal (bool): ``1 x k`` convs if True, else ``k x 1``.
        **kwargs: ``kernel_size``, ``conv_cfg``, ``norm_cfg``, ``act_cfg``.

    Returns:
        nn.ModuleList: The convs, to be applied in order.
    """
    return nn.ModuleList([
        directional_atrous_conv(
            in_channels if i == 0 else channels,
            channels,
            dilation=d,
            horizontal=horizontal,
            **kwargs) for i, d in enumerate(dilations)
    ])


@MODELS.register_module()
class ARMNetDTM(BaseModule):
    """Dense Text Module of ARM-Net (Sec. 3.2, eqs. (2)-(3) of the paper).

    Paper: atrous convolutions in the horizontal (``1 x k``, dilation along
    the width) and vertical (``k x 1``, dilation along the height)
    directions, cascaded with the dilation rate from low to high
    (horizontal and vertical rates both ``(1, 2, 3, 6)``, Table 4), giving
    rectangular receptive fields of various aspect ratios, regular (square)
    where the two directions' rates are equal. Stacked layers have the
    equivalent kernel ``K = sum K_i - (n - 1)`` (eq. (2)), a layer of
    dilation ``d`` the receptive field ``R = (d - 1)(K - 1) + K`` (eq. (3)).
    "Each feature" the DTM outputs is concatenated with the GTM's ``H'``.

    Our reading (the paper's Fig. 3 is not available to us, its text does
    not fix the wiring):

    - ``arrangement='interleaved'`` (default): one cascade alternating
      directions, ``H(d_1) -> V(d_1) -> H(d_2) -> V(d_2) -> ...``. With
      ``k = 3`` and rates ``(1, 2, 3, 6)`` the outputs see ``1x3, 3x3, 3x7,
      7x7, 7x13, 13x13, 13x25, 25x25`` input pixels (height x width):
      rectangles of several aspect ratios, square after each vertical layer
      when both directions use the same rates (the paper's "regular shape"
      remark, which two separate branches would not explain).
    - ``arrangement='parallel'``: two independent cascades, horizontal
      (``1 x 3 ... 1 x 25``) and vertical (``3 x 1 ... 25 x 1``).
    - Every layer's output is kept and all are concatenated (the paper's
      "each feature"), so the output has ``2 * len(dilations) * channels``
      channels. Each layer is conv + norm + act; the paper names neither
      the kernel size (we use 3, which is what makes its largest receptive
      field about 26: eqs. (2)-(3) give 25 for ``(1, 2, 3, 6)``) nor the
      norm / activation. Unlike DenseASPP, which the name and equations
      recall, a layer reads only the previous layer, not all of them.

    Args:
        in_channels (int): Channels of the input feature map.
        channels (int): Output channels of every atrous conv.
            Defaults to 256.
        dilations (Sequence[int]): Horizontal dilation rates, low to high.
            Defaults to ``(1, 2, 3, 6)``; the paper also tried
            ``(1, 3, 6, 12)``, ``(1, 6, 12, 18)`` and ``(1, 12, 18, 24)``.
        vertical_dilations (Sequence[int], optional): Vertical rates, same
            length as ``dilations``. Defaults to None (= ``dilations``).
        kernel_size (int): ``k`` of the ``1 x k`` / ``k x 1`` kernels, odd.
            Defaults to 3.
        arrangement (str): ``'interleaved'`` or ``'parallel'`` (see above).
            Defaults to ``'interleaved'``.
        conv_cfg (dict, optional): Conv layer config.
        norm_cfg (dict, optional): Norm layer config. Defaults to BN.
        act_cfg (dict, optional): Activation config. Defaults to ReLU.
        init_cfg (dict, optional): Initialisation config.
    """

    arrangements = ('interleaved', 'parallel')

    def __init__(self,
                 in_channels: int,
                 channels: int = 256,
                 dilations: Sequence[int] = (1, 2, 3, 6),
                 vertical_dilations: Optional[Sequence[int]] = None,
                 kernel_size: int = 3,
                 arrangement: str = 'interleaved',
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if vertical_dilations is None:
            vertical_dilations = dilations
        if len(dilations) == 0 or len(dilations) != len(vertical_dilations):
            raise ValueError('dilations and vertical_dilations must be '
                             'non-empty and of the same length, got '
                             f'{dilations} and {vertical_dilations}')
        if kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be odd, got {kernel_size}')
        if arrangement not in self.arrangements:
            raise ValueError(f'arrangement must be one of {self.arrangements}'
                             f', got {arrangement!r}')
        self.in_channels = in_channels
        self.out_channels = 2 * len(dilations) * channels
        self.dilations = tuple(dilations)
        self.vertical_dilations = tuple(vertical_dilations)
        self.arrangement = arrangement

        conv_kwargs = dict(
            channels=channels,
            kernel_size=kernel_size,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        # In the interleaved cascade only the first horizontal conv reads the
        # input; in the parallel one the first conv of each direction does.
        first_vertical_in = (
            in_channels if arrangement == 'parallel' else channels)
        self.horizontal_convs = directional_cascade(
            in_channels, dilations=self.dilations, horizontal=True,
            **conv_kwargs)
        self.vertical_convs = directional_cascade(
            first_vertical_in, dilations=self.vertical_dilations,
            horizontal=False, **conv_kwargs)

    def forward_features(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Run the cascade(s) and return every layer's output.

        Args:
            x (Tensor): ``B x in_channels x H x W``.

        Returns:
            list[Tensor]: ``2 * len(dilations)`` maps ``B x channels x H x
            W``: ``[H1, V1, H2, V2, ...]`` (interleaved) or ``[H1, H2, ...,
            V1, V2, ...]`` (parallel).
        """
        if self.arrangement == 'parallel':
            feats = []
            for convs in (self.horizontal_convs, self.vertical_convs):
                feat = x
                for conv in convs:
                    feat = conv(feat)
                    feats.append(feat)
            return feats
        feats = []
        feat = x
        for h_conv, v_conv in zip(self.horizontal_convs, self.vertical_convs):
            feat = h_conv(feat)
            feats.append(feat)
            feat = v_conv(feat)
            feats.append(feat)
        return feats

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward.

        Args:
            x (Tensor): ``B x in_channels x H x W``.

        Returns:
            Tensor: ``B x out_channels x H x W``, all layers' outputs
            concatenated in the order of :meth:`forward_features`.
        """
        return torch.cat(self.forward_features(x), dim=1)
