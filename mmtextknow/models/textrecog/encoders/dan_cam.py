"""DAN's Convolutional Alignment Module (CAM).

Wang et al., "Decoupled Attention Network for Text Recognition", AAAI 2020,
Sec. 3.2: the attention maps are computed from the image features alone
(no decoder state), so that alignment is decoupled from decoding.
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule, build_norm_layer
from mmocr.models.textrecog.encoders import BaseEncoder
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

Stride = Union[int, Sequence[int]]
Pair = Tuple[int, int]


def _pair(value: Stride, what: str) -> Pair:
    """``value`` as a ``(h, w)`` pair of positive ints."""
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) and v >= 1 for v in pair):
        raise ValueError(f'{what} must be a positive int or a pair of '
                         f'positive ints, got {value!r}')
    return pair


class _UpBlock(nn.Module):
    """A 3x3 transposed conv up to an exact size, then norm and activation.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (tuple[int, int]): Up-sampling factor ``(h, w)``.
        norm_cfg (dict, optional): Norm layer config; None for no norm.
        act (nn.Module): Activation applied last.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: Pair,
                 norm_cfg: Optional[Dict], act: nn.Module) -> None:
        super().__init__()
        self.deconv = nn.ConvTranspose2d(
            in_channels,
            out_channels,
            3,
            stride=stride,
            padding=1,
            bias=norm_cfg is None)
        self.norm = build_norm_layer(norm_cfg, out_channels)[1] \
            if norm_cfg is not None else nn.Identity()
        self.act = act

    def forward(self, x: torch.Tensor, size: Sequence[int]) -> torch.Tensor:
        """Up-sample ``x`` to exactly ``size`` (``(H, W)``)."""
        return self.act(self.norm(self.deconv(x, output_size=list(size))))


@MODELS.register_module()
class DANCAM(BaseEncoder):
    """Convolutional Alignment Module: per-step attention maps from features.

    Several backbone stages (shallow to deep) are fused in cascade: the
    running feature goes through a strided conv-BN-ReLU to the next stage's
    channels and resolution and is added to it, so the fused map has the
    deepest stage's size (F's, 8 x 32 for a 32 x 128 input of ResNet-45).
    An FCN follows: ``len(strides)`` 3x3 conv-BN-ReLU layers going down
    (``feat_channels`` channels each), then as many 3x3 transposed convs
    going up, each restoring the exact size of the matching down level; the
    first ones (BN-ReLU) are added to the down features of that level, the
    last one outputs ``max_seq_len`` maps through a sigmoid.

    Args:
        in_channels (Sequence[int]): Channels of the backbone stages read,
            shallow to deep. Defaults to ``(32, 128, 512)``: ResNetABI's
            stages 0, 2, 4 (``out_indices=[0, 2, 4]``).
        in_strides (Sequence[int | tuple[int, int]]): Output stride of each
            of these stages w.r.t. the input image; a stage's stride must
            divide the next one's. Defaults to ``(2, 4, 4)``.
        max_seq_len (int): Number of attention maps (decoding steps) T.
            Defaults to 25.
        feat_channels (int): Channels of the FCN. Defaults to 64.
        strides (Sequence[int | tuple[int, int]]): ``(h, w)`` stride of each
            down-sampling conv (the FCN has ``2 * len(strides)`` layers).
            Defaults to ``((2, 2), (2, 2), (2, 2), (1, 2))``, which takes an
            8 x 32 map down to 1 x 2.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: Sequence[int] = (32, 128, 512),
                 in_strides: Sequence[Stride] = (2, 4, 4),
                 max_seq_len: int = 25,
                 feat_channels: int = 64,
                 strides: Sequence[Stride] = ((2, 2), (2, 2), (2, 2), (1, 2)),
                 norm_cfg: Dict = dict(type='BN'),
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = list(in_channels)
        in_strides = [_pair(s, 'in_strides item') for s in in_strides]
        if not self.in_channels or len(in_strides) != len(self.in_channels):
            raise ValueError(
                'in_channels and in_strides must be non-empty and of the '
                f'same length, got {len(self.in_channels)} and '
                f'{len(in_strides)}')
        if max_seq_len < 1:
            raise ValueError(f'max_seq_len must be >= 1, got {max_seq_len}')
        self.strides = [_pair(s, 'strides item') for s in strides]
        if not self.strides:
            raise ValueError('strides must have at least one item')
        self.max_seq_len = max_seq_len

        # Cascade fusion of the stages: stage i -> stage i + 1.
        self.fuse_ratios: List[Pair] = []
        self.fuse_convs = nn.ModuleList()
        for i in range(len(in_strides) - 1):
            low, high = in_strides[i], in_strides[i + 1]
            ratio = tuple(b // a for a, b in zip(low, high))
            if any(a * r != b for a, r, b in zip(low, ratio, high)):
                raise ValueError(
                    f'in_strides: stage {i + 1}\'s stride {high} is not a '
                    f'multiple of stage {i}\'s {low}')
            kernel = tuple(3 if r == 1 else 2 * r - 1 for r in ratio)
            self.fuse_ratios.append(ratio)
            self.fuse_convs.append(
                ConvModule(
                    self.in_channels[i],
                    self.in_channels[i + 1],
                    kernel,
                    stride=ratio,
                    padding=tuple((k - 1) // 2 for k in kernel),
                    norm_cfg=norm_cfg))

        self.down_convs = nn.ModuleList()
        channels = self.in_channels[-1]
        for stride in self.strides:
            self.down_convs.append(
                ConvModule(
                    channels,
                    feat_channels,
                    3,
                    stride=stride,
                    padding=1,
                    norm_cfg=norm_cfg))
            channels = feat_channels
        # up_convs[j] undoes down_convs[-1 - j].
        self.up_convs = nn.ModuleList([
            _UpBlock(feat_channels, feat_channels, stride, norm_cfg,
                     nn.ReLU(inplace=True)) for stride in self.strides[:0:-1]
        ])
        self.up_convs.append(
            _UpBlock(feat_channels, max_seq_len, self.strides[0], None,
                     nn.Sigmoid()))

    def _fuse(self, feats: Sequence[torch.Tensor]) -> torch.Tensor:
        """Cascade-fuse the stages to the deepest stage's resolution."""
        for i, (feat, channels) in enumerate(zip(feats, self.in_channels)):
            if feat.dim() != 4 or feat.size(1) != channels:
                raise ValueError(
                    f'DANCAM: stage {i} should be N x {channels} x H x W, '
                    f'got {tuple(feat.shape)}')
        x = feats[0]
        for i, conv in enumerate(self.fuse_convs):
            x = conv(x)
            target = feats[i + 1]
            if x.shape[-2:] != target.shape[-2:]:
                raise ValueError(
                    f'DANCAM: stage {i} ({tuple(feats[i].shape[-2:])}) '
                    f'down-sampled by {self.fuse_ratios[i]} gives '
                    f'{tuple(x.shape[-2:])}, but stage {i + 1} is '
                    f'{tuple(target.shape[-2:])}; check in_strides and that '
                    'the input size is a multiple of the backbone stride')
            x = x + target
        return x

    def forward(
        self,
        feat: Union[torch.Tensor, Sequence[torch.Tensor]],
        data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> torch.Tensor:
        """Attention maps of the backbone features.

        Args:
            feat (Tensor or tuple[Tensor]): The backbone stages named by
                ``in_channels``, shallow to deep (a single tensor when
                ``in_channels`` has one item).
            data_samples (list[TextRecogDataSample], optional): Unused.

        Returns:
            Tensor: ``N x T x h x w`` maps in (0, 1), ``T = max_seq_len`` and
            ``h x w`` the deepest stage's size.
        """
        feats = [feat] if isinstance(feat, torch.Tensor) else list(feat)
        if len(feats) != len(self.in_channels):
            raise ValueError(
                f'DANCAM reads {len(self.in_channels)} backbone stages '
                f'(in_channels={self.in_channels}), got {len(feats)}; set '
                'the backbone\'s out_indices accordingly')
        x = self._fuse(feats)

        sizes, downs = [], []
        for i, (conv, stride) in enumerate(zip(self.down_convs, self.strides)):
            if x.size(2) < stride[0] or x.size(3) < stride[1]:
                raise ValueError(
                    f'DANCAM: down-sampling level {i} gets a '
                    f'{x.size(2)} x {x.size(3)} map, smaller than its '
                    f'stride {stride}; use smaller strides for inputs this '
                    'small')
            sizes.append(x.shape[-2:])
            x = conv(x)
            downs.append(x)
        num_up = len(self.up_convs)
        for j, up in enumerate(self.up_convs):
            x = up(x, sizes[-1 - j])
            if j < num_up - 1:
                x = x + downs[-2 - j]
        return x
