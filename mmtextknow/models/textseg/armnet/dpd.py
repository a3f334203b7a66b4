"""ARM-Net's Dual Perceptual Decoder (DPD), Sec. 3.3 and Fig. 4 of the paper.

One DPD up-sampler (Fig. 4) has two branches on a segmentation feature
``F`` (``C x H x W``):

* the Spatial Context-Aware Module (upper branch, eq. 4): CARAFE-like
  content-aware up-sampling of ``F`` to ``F_s`` (``C x rH x rW``);
* the Channel Semantic-Aware Module (lower branch, eq. 5): a channel
  affinity ``W_c`` of ``F`` turned into a per-sample depth-wise ``k x k``
  filter ``F_c`` that filters ``F_s``, then a 1x1 conv.

A decoder stage is that up-sampler followed by a fusion with the backbone's
low-level feature of the up-sampled resolution; the decoder stacks stages
from the deepest feature up to the shallowest input (stride 4). With the
output-stride-8 ResNet-50 of the paper configs this is one stage (stride 8
to 4, fusing C2).

Choices the paper leaves open (ARM-Net has no public code):

* the channel compressor before the kernel encoder and the default
  ``k_u = 5``, ``k_e = 3``, 64 compressed channels are CARAFE's
  (``mmcv.ops.CARAFEPack``); the paper gives no values;
* eq. (5)'s ``softmax(F F^T)`` is the identity on real feature sizes; by
  default ``W_c`` is a softmax of the channels' cosine similarities over a
  learnable temperature (see :class:`ARMNetChannelSemanticModule`);
* the filter generation layer ``g`` is adaptive average pooling (the only
  operation the paper names) of the channel-weighted feature ``W_c F``
  (DANet's channel attention form); it has no parameters; ``k = 3``;
* "blend low-level features with each stage" is a 1x1 lateral conv on the
  backbone feature, concatenation and a 3x3 conv;
* the deepest input enters the first DPD as it is (no projection): the
  1x1 conv of the channel branch sets the decoder's width.
"""
import math
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmcv.ops.carafe import CARAFEPack
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor, nn

from .reassembly import content_aware_reassembly


@MODELS.register_module()
class ARMNetSpatialContextUpsampler(CARAFEPack):
    """Spatial Context-Aware Module: content-aware up-sampling (eq. 4).

    mmcv's ``CARAFEPack`` (1x1 channel compressor, ``k_e x k_e`` content
    encoder predicting ``r^2 k_u^2`` weights per position, pixel shuffle,
    softmax over each ``k_u x k_u`` kernel) with the reassembly replaced by
    :func:`content_aware_reassembly`, which also runs on CPU.

    Args:
        channels (int): Channels ``C`` of the input (kept by the output).
        scale_factor (int): Up-sampling rate ``r``. Defaults to 2.
        up_kernel (int): Reassembly kernel size ``k_u``. Defaults to 5.
        encoder_kernel (int): Kernel size ``k_e`` of the weight generator.
            Defaults to 3.
        compressed_channels (int): Channels after the compressor. Defaults
            to 64.
        up_group (int): Channel groups with their own kernels. Defaults to 1.
    """

    def __init__(self,
                 channels: int,
                 scale_factor: int = 2,
                 up_kernel: int = 5,
                 encoder_kernel: int = 3,
                 compressed_channels: int = 64,
                 up_group: int = 1) -> None:
        super().__init__(
            channels,
            scale_factor,
            up_kernel=up_kernel,
            up_group=up_group,
            encoder_kernel=encoder_kernel,
            compressed_channels=compressed_channels)

    def feature_reassemble(self, x: Tensor, mask: Tensor) -> Tensor:
        """Reassemble ``x`` with normalised kernels ``mask`` (``W_u``).

        Args:
            x (Tensor): ``N x C x H x W`` features.
            mask (Tensor): ``N x (G k_u^2) x rH x rW`` normalised kernels.

        Returns:
            Tensor: ``F_s``, ``N x C x rH x rW``.
        """
        return content_aware_reassembly(x, mask, self.up_kernel,
                                        self.scale_factor, self.up_group)


CHANNEL_AFFINITIES = ('cosine', 'sqrt_hw', 'none')


@MODELS.register_module()
class ARMNetChannelSemanticModule(BaseModule):
    """Channel Semantic-Aware Module (eq. 5 and the lower branch of Fig. 4).

    ``W_c = softmax(S)`` over the second channel index (each row sums to 1)
    for a channel similarity ``S`` of ``F`` (flattened to ``C x HW``);
    ``F_c = AdaptiveAvgPool_k(W_c F)`` is a ``C x k x k`` filter per sample,
    applied depth-wise (zero padding, stride 1) to the up-sampled ``F_s``;
    a 1x1 conv fuses the channels. ``W_c`` and ``W_c F`` are computed in
    float32, outside autocast (``F F^T`` overflows fp16).

    ``S`` (``affinity``; eq. (5) prints ``F F^T``, unscaled):

    * ``'cosine'`` (default): ``S_ij = cos(F_i, F_j) / tau``, the cosine of
      the two channels' ``HW``-vectors (the "degree of correlation between
      two channels" the paper says ``w_c`` measures) over a learnable
      temperature ``tau`` (CLIP's: initialised at 0.07, kept >= 0.01).
      Independent of the resolution and of the channels' magnitudes. On the
      TSM output of a random-weight ResNet-50 at output stride 8 in
      training mode (2304 channels, 256 or 512 input) the rows keep about
      0.8 of their weight on the channel itself and spread the rest over
      similar channels (row entropy 1.4-2.0 nats; ``log C`` = 7.7).
    * ``'sqrt_hw'``: ``S = F F^T / sqrt(HW)``, the scaled dot product of
      self-attention (Vaswani et al., the paper's ref. [29]). Its
      sharpness grows with ``sqrt(HW)``: on the same features the row
      entropy is 1.4 nats for a 256 input (32 x 32) but 0.06 for a 512
      input (64 x 64, row max 0.994): close to the identity at the
      training size.
    * ``'none'``: eq. (5) as printed. ``F F^T`` of post-ReLU features is in
      the thousands, so ``W_c`` is the identity to float precision (row
      max 1.0000, entropy 0): no channel mixing and no gradient through
      ``W_c``.

    Not offered: ``F F^T / HW`` (the mean product) gives almost uniform
    rows (entropy within 0.01 of ``log C``: every channel becomes the
    channel mean); DANet's channel attention (``CAM_Module`` in
    junfu1115/DANet, ``encoding/nn/da_att.py``), which eq. (5) follows,
    computes ``softmax(max(E) - E)``, i.e. ``softmax(-E)`` (a softmax is
    invariant to a shift per row): still unscaled, hence nearly one-hot
    (row entropy 0.55 / 0.17 nats at 256 / 512), on the LEAST similar
    channel, the opposite of "associated channels are emphasised".

    Args:
        in_channels (int): Channels ``C`` of ``F`` and ``F_s``.
        out_channels (int): Channels after the 1x1 conv.
        filter_size (int): Odd size ``k`` of the dynamic filter. Defaults
            to 3.
        affinity (str): ``'cosine'``, ``'sqrt_hw'`` or ``'none'`` (see
            above). Defaults to ``'cosine'``.
        temperature (float): Initial ``tau`` of the cosine affinity.
            Defaults to 0.07.
        learn_temperature (bool): Whether ``tau`` is trained. Defaults to
            True.
        conv_cfg (dict, optional): Conv layer config of the 1x1 conv.
        norm_cfg (dict, optional): Norm layer of the 1x1 conv. Defaults to
            BN.
        act_cfg (dict, optional): Activation of the 1x1 conv. Defaults to
            ReLU.
        init_cfg (dict, optional): Initialisation config.
    """

    MIN_TEMPERATURE = 0.01

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 filter_size: int = 3,
                 affinity: str = 'cosine',
                 temperature: float = 0.07,
                 learn_temperature: bool = True,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if filter_size < 1 or filter_size % 2 == 0:
            raise ValueError(
                f'filter_size must be odd and positive, got {filter_size}')
        if affinity not in CHANNEL_AFFINITIES:
            raise ValueError(f'affinity must be one of {CHANNEL_AFFINITIES},'
                             f' got {affinity!r}')
        if temperature < self.MIN_TEMPERATURE:
            raise ValueError(f'temperature must be >= {self.MIN_TEMPERATURE}'
                             f', got {temperature}')
        self.filter_size = filter_size
        self.affinity = affinity
        if affinity == 'cosine':
            # log(1 / tau), as CLIP's logit scale.
            self.log_inv_temperature = nn.Parameter(
                torch.tensor(math.log(1 / temperature)),
                requires_grad=learn_temperature)
        self.fuse = ConvModule(
            in_channels,
            out_channels,
            1,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)

    @property
    def temperature(self) -> Optional[float]:
        """The cosine affinity's current ``tau`` (None for the others)."""
        if self.affinity != 'cosine':
            return None
        return 1 / self._inv_temperature().item()

    def _inv_temperature(self) -> Tensor:
        return self.log_inv_temperature.float().exp().clamp(
            max=1 / self.MIN_TEMPERATURE)

    def channel_energy(self, x: Tensor) -> Tensor:
        """The logits ``S`` of ``W_c`` (by ``affinity``).

        Args:
            x (Tensor): ``F``, ``N x C x H x W``.

        Returns:
            Tensor: ``N x C x C`` float32.
        """
        flat = x.flatten(2).float()
        if self.affinity == 'cosine':
            flat = F.normalize(flat, dim=-1)
        energy = torch.bmm(flat, flat.transpose(1, 2))
        if self.affinity == 'cosine':
            return energy * self._inv_temperature()
        if self.affinity == 'sqrt_hw':
            return energy / math.sqrt(flat.shape[-1])
        return energy

    def channel_affinity(self, x: Tensor) -> Tensor:
        """Channel attention map ``W_c`` of eq. (5).

        Args:
            x (Tensor): ``F``, ``N x C x H x W``.

        Returns:
            Tensor: ``N x C x C`` float32, rows summing to 1.
        """
        return self.channel_energy(x).softmax(dim=-1)

    def dynamic_filter(self, x: Tensor) -> Tensor:
        """Channel-weighted dynamic filter ``F_c = g(W_c F)``.

        Args:
            x (Tensor): ``F``, ``N x C x H x W``.

        Returns:
            Tensor: ``N x C x k x k`` filters in ``x``'s dtype.
        """
        with torch.autocast(device_type=x.device.type, enabled=False):
            weighted = torch.bmm(
                self.channel_affinity(x), x.flatten(2).float())
        weighted = weighted.view_as(x).to(x.dtype)
        return F.adaptive_avg_pool2d(weighted, self.filter_size)

    def forward(self, x: Tensor, upsampled: Tensor) -> Tensor:
        """Filter ``F_s`` with ``F``'s dynamic filter and fuse channels.

        Args:
            x (Tensor): ``F``, ``N x C x H x W``.
            upsampled (Tensor): ``F_s``, ``N x C x H' x W'``.

        Returns:
            Tensor: ``N x out_channels x H' x W'``.
        """
        n, c, h, w = upsampled.shape
        filters = self.dynamic_filter(x).reshape(n * c, 1, self.filter_size,
                                                 self.filter_size)
        # One grouped conv filters every sample with its own filters.
        out = F.conv2d(
            upsampled.reshape(1, n * c, h, w),
            filters,
            padding=self.filter_size // 2,
            groups=n * c)
        return self.fuse(out.view(n, c, h, w))


@MODELS.register_module()
class ARMNetDPDStage(BaseModule):
    """A decoder stage: the DPD up-sampler of Fig. 4, then a skip fusion.

    ``F_s = ARMNetSpatialContextUpsampler(x)``,
    ``up = ARMNetChannelSemanticModule(x, F_s)`` (``out_channels`` channels),
    ``out = conv3x3(cat(up, conv1x1(skip)))``. If odd input sizes make
    ``up`` differ from the skip's size, it is resized (bilinear) to it.

    Args:
        in_channels (int): Channels of the deeper input ``x``.
        skip_channels (int): Channels of the backbone feature ``skip``.
        out_channels (int): Channels of ``up``, of the lateral map and of
            the output.
        scale_factor (int): Up-sampling rate ``r``. Defaults to 2.
        up_kernel (int): Reassembly kernel size ``k_u``. Defaults to 5.
        encoder_kernel (int): Weight generator kernel size ``k_e``.
            Defaults to 3.
        compressed_channels (int): Channels of CARAFE's compressor.
            Defaults to 64.
        filter_size (int): Size ``k`` of the channel dynamic filter.
            Defaults to 3.
        affinity (str): Channel affinity ``W_c`` of
            :class:`ARMNetChannelSemanticModule`: ``'cosine'`` (default),
            ``'sqrt_hw'`` or ``'none'``.
        temperature (float): Initial temperature of the cosine affinity.
            Defaults to 0.07.
        conv_cfg (dict, optional): Conv layer of every ConvModule.
        norm_cfg (dict, optional): Norm layer of every ConvModule. Defaults
            to BN.
        act_cfg (dict, optional): Activation of every ConvModule. Defaults
            to ReLU.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 skip_channels: int,
                 out_channels: int,
                 scale_factor: int = 2,
                 up_kernel: int = 5,
                 encoder_kernel: int = 3,
                 compressed_channels: int = 64,
                 filter_size: int = 3,
                 affinity: str = 'cosine',
                 temperature: float = 0.07,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        layer_cfg = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.spatial = ARMNetSpatialContextUpsampler(
            in_channels,
            scale_factor=scale_factor,
            up_kernel=up_kernel,
            encoder_kernel=encoder_kernel,
            compressed_channels=compressed_channels)
        self.channel = ARMNetChannelSemanticModule(
            in_channels,
            out_channels,
            filter_size=filter_size,
            affinity=affinity,
            temperature=temperature,
            **layer_cfg)
        self.lateral = ConvModule(skip_channels, out_channels, 1,
                                  **layer_cfg)
        self.fuse = ConvModule(
            2 * out_channels, out_channels, 3, padding=1, **layer_cfg)

    def forward(self, x: Tensor, skip: Tensor) -> Tensor:
        """Up-sample ``x`` and fuse it with ``skip``.

        Args:
            x (Tensor): ``N x in_channels x h x w``.
            skip (Tensor): ``N x skip_channels x H x W``, ``H ~ r h``.

        Returns:
            Tensor: ``N x out_channels x H x W``.
        """
        up = self.channel(x, self.spatial(x))
        if up.shape[-2:] != skip.shape[-2:]:
            up = F.interpolate(
                up, size=skip.shape[-2:], mode='bilinear', align_corners=False)
        return self.fuse(torch.cat([up, self.lateral(skip)], dim=1))


@MODELS.register_module()
class ARMNetBilinearStage(BaseModule):
    """The stage of the "without DPD" ablation (Table 2 of the paper).

    :class:`ARMNetDPDStage` with its up-sampler (spatial context-aware
    up-sampling + channel semantic module) replaced by a 1x1 conv and
    bilinear interpolation; the skip fusion is the same, so that only the
    up-sampler differs between the two decoders.

    Args:
        in_channels (int): Channels of the deeper input ``x``.
        skip_channels (int): Channels of the backbone feature ``skip``.
        out_channels (int): Channels of the output.
        conv_cfg (dict, optional): Conv layer of every ConvModule.
        norm_cfg (dict, optional): Norm layer of every ConvModule. Defaults
            to BN.
        act_cfg (dict, optional): Activation of every ConvModule. Defaults
            to ReLU.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 skip_channels: int,
                 out_channels: int,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        layer_cfg = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.project = ConvModule(in_channels, out_channels, 1, **layer_cfg)
        self.lateral = ConvModule(skip_channels, out_channels, 1,
                                  **layer_cfg)
        self.fuse = ConvModule(
            2 * out_channels, out_channels, 3, padding=1, **layer_cfg)

    def forward(self, x: Tensor, skip: Tensor) -> Tensor:
        """Up-sample ``x`` bilinearly to ``skip``'s size and fuse them."""
        up = F.interpolate(
            self.project(x),
            size=skip.shape[-2:],
            mode='bilinear',
            align_corners=False)
        return self.fuse(torch.cat([up, self.lateral(skip)], dim=1))


@MODELS.register_module()
class ARMNetDPD(BaseModule):
    """ARM-Net's decoder: DPD stages from the deepest feature to stride 4.

    The first :class:`ARMNetDPDStage` up-samples the deepest input (the TSM
    output, or C5) itself and fuses the next shallower one; each further
    stage up-samples again and fuses the next input. With the paper
    configs' output-stride-8 ResNet-50 the inputs are C2 (stride 4) and
    the TSM output (stride 8): one stage. With a stride-32 backbone and
    C2..C5 there are three (C5 -> C4 -> C3 -> C2).

    Args:
        in_channels (Sequence[int]): Channels of the inputs, shallowest
            (stride 4) first, deepest last, e.g. ``(256, 2304)`` for C2 and
            the TSM output of a dilated ResNet-50, or
            ``(256, 512, 1024, 2048)`` for C2..C5 of a plain one. Each input
            must be the stages' ``scale_factor`` (2 by default) times
            smaller than the next shallower one (rounded up), which
            :meth:`forward` checks.
        channels (int): Output channels of every stage. Defaults to 256.
        stage_cfg (dict, optional): Further keyword arguments of every
            stage (for :class:`ARMNetDPDStage`: ``up_kernel``,
            ``encoder_kernel``, ``compressed_channels``, ``filter_size``,
            ``norm_cfg``, ...); its defaults if None.
        stage_type (str): Registered stage class. Defaults to
            ``'ARMNetDPDStage'``; ``'ARMNetBilinearStage'`` gives the
            "without DPD" ablation.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 channels: int = 256,
                 stage_cfg: Optional[dict] = None,
                 stage_type: str = 'ARMNetDPDStage',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(in_channels) < 2:
            raise ValueError(f'{type(self).__name__} needs at least two '
                             f'inputs, got in_channels={in_channels}')
        self.in_channels = tuple(in_channels)
        self.out_channels = channels
        self.scale_factor = (stage_cfg or {}).get('scale_factor', 2)
        deeper = [in_channels[-1]] + [channels] * (len(in_channels) - 2)
        # Deepest stage first: stage i fuses input -(i + 2).
        self.stages = nn.ModuleList(
            MODELS.build(
                dict(
                    type=stage_type,
                    in_channels=deep,
                    skip_channels=skip,
                    out_channels=channels,
                    **(stage_cfg or {})))
            for deep, skip in zip(deeper, in_channels[-2::-1]))

    def forward(self, feats: Sequence[Tensor]) -> Tensor:
        """Decode a feature pyramid.

        Args:
            feats (Sequence[Tensor]): One tensor per ``in_channels`` entry,
                shallowest first.

        Returns:
            Tensor: ``N x channels x H x W`` at ``feats[0]``'s resolution.

        Raises:
            ValueError: If the number of features is not the number of
                ``in_channels``, or consecutive features do not differ by
                ``scale_factor`` in resolution (e.g. two stride-8 levels of
                a dilated backbone).
        """
        if len(feats) != len(self.in_channels):
            raise ValueError(f'expected {len(self.in_channels)} features, '
                             f'got {len(feats)}')
        r = self.scale_factor
        for level, (shallow, deep) in enumerate(zip(feats, feats[1:])):
            expected = tuple((s + r - 1) // r for s in shallow.shape[-2:])
            if tuple(deep.shape[-2:]) != expected:
                raise ValueError(
                    f'decoder input {level + 1} is '
                    f'{tuple(deep.shape[-2:])}, expected {expected} (input '
                    f'{level}, {tuple(shallow.shape[-2:])}, / {r}): every '
                    f'stage up-samples x{r}; from a dilated backbone pass '
                    f'only levels of different strides (e.g. out_indices='
                    f'(0, 3) for C2 and C5 at output stride 8)')
        x = feats[-1]
        for stage, skip in zip(self.stages, feats[-2::-1]):
            x = stage(x, skip)
        return x
