"""A light FCN decoder for binary text segmentation."""
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS

from mmtextknow.datasets.mask_values import IGNORE_INDEX

#: Logit given to don't-care pixels for the Dice loss: its sigmoid is
#: exactly 0 (also in float16), so they add nothing to the Dice sums.
_IGNORED_LOGIT = -1e4


@MODELS.register_module()
class FCNTextSegHead(BaseModule):
    """Fuse multi-level features and predict one text logit per pixel.

    Each input level goes through a 1x1 conv to ``feat_channels``, is
    bilinearly upsampled to the finest level (stride 4 for a ResNet) and
    summed; ``num_convs`` 3x3 conv-BN-ReLU blocks and a 1x1 conv then give
    the logit, upsampled to the requested output size. A single tensor input
    (e.g. from MMOCR's ``FPNC`` neck) is handled as one level.

    The loss is BCE-with-logits plus Dice on the samples that have ground
    truth; samples without it have zero weight, and a batch without any
    gives zero losses that still carry a graph. Ground-truth pixels of
    value ``ignore_index`` (don't care) count in neither loss: zero BCE
    weight (and out of its average), and for Dice a logit whose sigmoid is
    0 against a 0 target, so they add nothing to its sums (``loss_dice``
    must therefore take logits, ``use_sigmoid=True``). 0/1 ground truth
    gives exactly the losses without ignore handling.

    Args:
        in_channels (int | Sequence[int]): Channels of each input level.
        feat_channels (int): Channels of the fused features. Defaults to 64.
        num_convs (int): 3x3 convs after the fusion. Defaults to 1.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        loss_bce (dict): Config of the BCE loss (called with per-pixel
            weights and an ``avg_factor``). Defaults to mmdet's
            ``CrossEntropyLoss(use_sigmoid=True)``.
        loss_dice (dict): Config of the Dice loss (called with per-sample
            weights and an ``avg_factor``). Defaults to mmdet's
            ``DiceLoss(use_sigmoid=True)``.
        ignore_index (int, optional): The don't-care ground-truth value.
            Defaults to :data:`IGNORE_INDEX`; None ignores nothing.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(
        self,
        in_channels: Union[int, Sequence[int]],
        feat_channels: int = 64,
        num_convs: int = 1,
        norm_cfg: dict = dict(type='BN'),
        loss_bce: dict = dict(
            type='mmdet.CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0),
        loss_dice: dict = dict(
            type='mmdet.DiceLoss', use_sigmoid=True, loss_weight=1.0),
        ignore_index: Optional[int] = IGNORE_INDEX,
        init_cfg: Optional[Union[dict, list]] = None
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.ignore_index = ignore_index
        if isinstance(in_channels, int):
            in_channels = [in_channels]
        self.in_channels = list(in_channels)
        self.lateral_convs = nn.ModuleList(
            ConvModule(c, feat_channels, 1, norm_cfg=norm_cfg)
            for c in self.in_channels)
        self.convs = nn.Sequential(*[
            ConvModule(
                feat_channels, feat_channels, 3, padding=1, norm_cfg=norm_cfg)
            for _ in range(num_convs)
        ])
        self.conv_seg = nn.Conv2d(feat_channels, 1, 1)
        self.loss_bce = MODELS.build(loss_bce)
        self.loss_dice = MODELS.build(loss_dice)

    def forward(self,
                feats: Union[torch.Tensor, Sequence[torch.Tensor]],
                out_shape: Optional[Tuple[int, int]] = None) -> torch.Tensor:
        """Predict text logits.

        Args:
            feats (Tensor | Sequence[Tensor]): Features, finest level first.
            out_shape (tuple[int, int], optional): (H, W) of the output;
                None keeps the finest level's size.

        Returns:
            Tensor: Text logits, Nx1xHxW.
        """
        if isinstance(feats, torch.Tensor):
            feats = [feats]
        if len(feats) != len(self.lateral_convs):
            raise ValueError(f'expected {len(self.lateral_convs)} feature '
                             f'levels, got {len(feats)}')
        size = feats[0].shape[-2:]
        fused = sum(
            F.interpolate(
                conv(x), size, mode='bilinear', align_corners=False)
            if x.shape[-2:] != size else conv(x)
            for conv, x in zip(self.lateral_convs, feats))
        logits = self.conv_seg(self.convs(fused))
        if out_shape is not None and tuple(logits.shape[-2:]) != tuple(
                out_shape):
            logits = F.interpolate(
                logits, out_shape, mode='bilinear', align_corners=False)
        return logits

    def loss_by_feat(self, logits: torch.Tensor, gt_masks: torch.Tensor,
                     valid: torch.Tensor) -> Dict[str, torch.Tensor]:
        """BCE and Dice losses over the samples with ground truth.

        Args:
            logits (Tensor): Text logits, Nx1xHxW.
            gt_masks (Tensor): Targets, Nx1xHxW float 0/1, ``ignore_index``
                where don't care.
            valid (Tensor): Boolean N-vector, samples that have ground truth.

        Returns:
            dict[str, Tensor]: ``loss_bce`` and ``loss_dice`` (0 when no
            sample is valid).
        """
        weight = valid.to(logits.dtype)
        num_valid = weight.sum()
        pixel_weight = weight.view(-1, 1, 1, 1)
        num_pixels = gt_masks.shape[-2] * gt_masks.shape[-1]
        avg_factor = num_valid * num_pixels
        if self.ignore_index is not None:
            ignored = gt_masks == self.ignore_index
            if bool(ignored.any()):
                cared = ~ignored
                pixel_weight = pixel_weight * cared.to(logits.dtype)
                avg_factor = (cared.flatten(1).sum(1) *
                              valid.to(torch.int64)).sum().to(logits.dtype)
                gt_masks = torch.where(ignored, gt_masks.new_zeros(()),
                                       gt_masks)
                logits = torch.where(ignored,
                                     logits.new_full((), _IGNORED_LOGIT),
                                     logits)
        loss_bce = self.loss_bce(
            logits, gt_masks, weight=pixel_weight, avg_factor=avg_factor)
        loss_dice = self.loss_dice(
            logits, gt_masks, weight=weight, avg_factor=num_valid)
        return dict(loss_bce=loss_bce, loss_dice=loss_dice)
