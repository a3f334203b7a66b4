# Copyright (c) mmtextknow contributors. All rights reserved.
"""VGG-16 backbone with output stride 8 for the TPN text spotter.

Li, Wang and Shen (ICCV 2017) keep VGG-16's 13 convolutional layers but only
the 1st, 2nd and 4th of its five max-pools, so the last feature map
(``conv5_3``) has stride 8 instead of 32, which suits small text.

Layout (``stage{s}`` is an :class:`torch.nn.Sequential` of
:class:`mmcv.cnn.ConvModule` named ``conv{s}_{j}`` plus, for stages 1, 2 and
4, a trailing ``pool{s}``)::

    stage  convs (3x3, ReLU)  pool after  output stride
    1      64, 64             yes         2
    2      128, 128           yes         4
    3      256, 256, 256      no          4
    4      512, 512, 512      yes         8
    5      512, 512, 512      no          8

torchvision weights: torchvision's ``vgg16().features`` (or ``vgg16_bn``)
numbers its layers consecutively (conv, [bn,] relu, ..., pool). Because the
dropped pools (``features.16`` and ``features.30`` for plain VGG-16) hold no
parameters, the mapping is a pure renaming, given by
:func:`vgg16_torchvision_key_map`, e.g. ``features.0.weight ->
stage1.conv1_1.conv.weight`` and ``features.28.bias ->
stage5.conv5_3.conv.bias``. :func:`convert_vgg16_torchvision_state_dict`
applies it to a whole state dict (dropping ``classifier.*``). The backbone
also renames torchvision keys itself when a state dict is loaded into it, so
``init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')`` (the
paper configs' ImageNet start: MMEngine reads torchvision's
``vgg16-397923af.pth`` from torch.hub's cache, ``<hub dir>/checkpoints/``,
downloading it only when absent) or a local path to that file works
directly.
"""
import warnings
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor

from mmocr.registry import MODELS

#: Output channels of the conv layers of each of VGG-16's five stages.
VGG16_STAGE_CHANNELS: Tuple[Tuple[int, ...], ...] = ((64, 64), (128, 128),
                                                     (256, 256, 256),
                                                     (512, 512, 512),
                                                     (512, 512, 512))
#: Whether the stage ends with a 2x2/2 max-pool (TPN keeps pools 1, 2, 4).
TPN_KEEP_POOLS: Tuple[bool, ...] = (True, True, False, True, False)

_BN_KEYS = ('weight', 'bias', 'running_mean', 'running_var',
            'num_batches_tracked')


def vgg16_torchvision_key_map(with_bn: bool = False) -> Dict[str, str]:
    """Map torchvision VGG-16 ``features.*`` keys to :class:`VGG16Stride8`.

    torchvision's ``features`` Sequential is ``[conv, (bn,) relu] x n, pool``
    per stage over all five stages; its indices are replayed here. The two
    pools TPN drops carry no parameters, so every parameter has a target.

    Args:
        with_bn (bool): Map ``vgg16_bn`` keys (conv bias + BN affine and
            running statistics) instead of plain ``vgg16`` keys.

    Returns:
        dict[str, str]: torchvision key (e.g. ``'features.0.weight'``) ->
        backbone key (e.g. ``'stage1.conv1_1.conv.weight'``). 26 entries
        without BN, 91 with BN (13 x (2 + 5)).
    """
    key_map: Dict[str, str] = {}
    idx = 0
    for s, channels in enumerate(VGG16_STAGE_CHANNELS, start=1):
        for j in range(1, len(channels) + 1):
            ours = f'stage{s}.conv{s}_{j}'
            for p in ('weight', 'bias'):
                key_map[f'features.{idx}.{p}'] = f'{ours}.conv.{p}'
            idx += 1
            if with_bn:
                for p in _BN_KEYS:
                    key_map[f'features.{idx}.{p}'] = f'{ours}.bn.{p}'
                idx += 1
            idx += 1  # ReLU
        idx += 1  # max-pool (kept or not, torchvision always has it)
    return key_map


def convert_vgg16_torchvision_state_dict(
        state_dict: Mapping[str, Tensor],
        with_bn: bool = False,
        prefix: str = '') -> 'OrderedDict[str, Tensor]':
    """Rename a torchvision VGG-16 state dict for :class:`VGG16Stride8`.

    Args:
        state_dict (Mapping[str, Tensor]): torchvision ``vgg16`` /
            ``vgg16_bn`` state dict (``features.*``, optional
            ``classifier.*``) or just ``vgg16().features.state_dict()``
            with keys prefixed by ``'features.'``.
        with_bn (bool): Whether the weights are ``vgg16_bn``'s.
        prefix (str): Prefix to prepend to the output keys, e.g.
            ``'backbone.'`` to build a detector checkpoint.

    Returns:
        OrderedDict[str, Tensor]: The backbone's keys (``classifier.*`` and
        any other key without a target are dropped).
    """
    key_map = vgg16_torchvision_key_map(with_bn)
    out: 'OrderedDict[str, Tensor]' = OrderedDict()
    for k, v in state_dict.items():
        if k in key_map:
            out[prefix + key_map[k]] = v
    return out


@MODELS.register_module()
class VGG16Stride8(BaseModule):
    """VGG-16 conv layers keeping only max-pools 1, 2 and 4 (stride 8).

    Args:
        in_channels (int): Input image channels. Defaults to 3.
        base_channels (int): Channels of the first stage; every stage is
            scaled by ``base_channels / 64`` (64 = VGG-16, whose weights
            load; smaller for CPU demos). Defaults to 64.
        with_bn (bool): Add BatchNorm after each conv (``vgg16_bn``-style;
            convs keep their bias so ``vgg16_bn`` weights load). Defaults to
            False (the paper's plain VGG-16).
        norm_cfg (dict, optional): Norm config used when ``with_bn``.
            Defaults to ``dict(type='BN')``.
        out_indices (Sequence[int]): Stages (0-based, 0..4) whose outputs
            are returned. Defaults to ``(4,)``: ``conv5_3``, stride 8, 512
            channels. Stage output strides are (2, 4, 4, 8, 8).
        frozen_stages (int): Stages ``0..frozen_stages`` are frozen
            (``requires_grad=False``, eval mode for BN). -1 freezes nothing.
        norm_eval (bool): Keep BN layers in eval mode during training.
        init_cfg (dict | list[dict], optional): Initialization config. Use
            ``dict(type='Pretrained', checkpoint=LOCAL_FILE)`` with either a
            converted checkpoint or torchvision's own VGG-16 file (its
            ``features.*`` keys are renamed on load). Defaults to Kaiming
            init of the convs and constant init of the norms.

    Example:
        >>> import torch
        >>> m = VGG16Stride8()
        >>> m(torch.rand(1, 3, 64, 96))[0].shape
        torch.Size([1, 512, 8, 12])
    """

    stage_channels = VGG16_STAGE_CHANNELS
    keep_pools = TPN_KEEP_POOLS

    def __init__(self,
                 in_channels: int = 3,
                 base_channels: int = 64,
                 with_bn: bool = False,
                 norm_cfg: Optional[dict] = None,
                 out_indices: Sequence[int] = (4, ),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if init_cfg is None:
            init_cfg = [
                dict(type='Kaiming', layer='Conv2d'),
                dict(type='Constant', val=1, layer=['_BatchNorm'])
            ]
        super().__init__(init_cfg=init_cfg)
        num_stages = len(self.stage_channels)
        out_indices = tuple(out_indices)
        assert len(out_indices) > 0 and all(
            0 <= i < num_stages for i in out_indices), \
            f'out_indices must lie in [0, {num_stages}), got {out_indices}'
        self.with_bn = with_bn
        self.norm_cfg = (norm_cfg or dict(type='BN')) if with_bn else None
        self.out_indices = out_indices
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval

        self.stage_names: List[str] = []
        self.out_channels: List[int] = []
        self.strides: List[int] = []
        stride = 1
        cin = in_channels
        width = base_channels / 64
        for s, (channels, pool) in enumerate(
                zip(self.stage_channels, self.keep_pools), start=1):
            layers: 'OrderedDict[str, nn.Module]' = OrderedDict()
            for j, full_cout in enumerate(channels, start=1):
                cout = max(1, int(round(full_cout * width)))
                with warnings.catch_warnings():
                    # A conv bias before BN is intended (vgg16_bn has one).
                    warnings.filterwarnings(
                        'ignore', message='Unnecessary conv bias')
                    layers[f'conv{s}_{j}'] = ConvModule(
                        cin,
                        cout,
                        kernel_size=3,
                        padding=1,
                        bias=True,
                        norm_cfg=self.norm_cfg,
                        act_cfg=dict(type='ReLU', inplace=True))
                cin = cout
            if pool:
                layers[f'pool{s}'] = nn.MaxPool2d(kernel_size=2, stride=2)
                stride *= 2
            name = f'stage{s}'
            self.add_module(name, nn.Sequential(layers))
            self.stage_names.append(name)
            self.out_channels.append(cin)
            self.strides.append(stride)
        self._freeze_stages()

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args,
                              **kwargs) -> None:
        """Rename torchvision ``features.*`` keys in place before loading.

        ``vgg16_bn`` is recognised by its BN running statistics. Keys already
        in this module's naming are left untouched.
        """
        tv_prefix = prefix + 'features.'
        tv_keys = [k for k in state_dict if k.startswith(tv_prefix)]
        if tv_keys:
            with_bn = any(k.endswith('running_mean') for k in tv_keys)
            key_map = vgg16_torchvision_key_map(with_bn)
            for k in tv_keys:
                short = k[len(prefix):]
                if short in key_map:
                    state_dict[prefix + key_map[short]] = state_dict.pop(k)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def _freeze_stages(self) -> None:
        """Freeze stages ``0..frozen_stages``."""
        for i in range(self.frozen_stages + 1):
            stage = getattr(self, self.stage_names[i])
            stage.eval()
            for p in stage.parameters():
                p.requires_grad = False

    def train(self, mode: bool = True) -> 'VGG16Stride8':
        """Set train mode, keeping frozen stages / BN in eval mode."""
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, nn.modules.batchnorm._BatchNorm):
                    m.eval()
        return self

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Forward.

        Args:
            x (Tensor): Images, shape (N, in_channels, H, W).

        Returns:
            tuple[Tensor]: Outputs of the stages in ``out_indices``; stage
            ``i`` has shape (N, out_channels[i], H_i, W_i) with
            ``H_i = floor`` of H divided by its stride (2, 4, 4, 8, 8), e.g.
            (N, 512, H // 8, W // 8) for the default ``out_indices=(4,)``.
        """
        outs = []
        for i, name in enumerate(self.stage_names):
            x = getattr(self, name)(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
