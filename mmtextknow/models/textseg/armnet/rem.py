"""ARM-Net's Recognition Enhanced Module (REM, Sec. 3.4, eq. (6))."""
import math
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseDataPreprocessor, BaseModule
from mmocr.registry import MODELS
from torch import Tensor, nn

from mmtextknow.structures import TextSegDataSample
from .text_attention_target import (RecognizerTextAttention, ignore_weight,
                                    paste_word_maps, word_rois)


@MODELS.register_module()
class ARMNetAttentionUNet(BaseModule):
    """The light U-Net predicting the text attention map from segmentation
    features, so that inference needs no recognizer.

    ``num_levels`` encoder levels (two 3x3 conv modules each, max-pooling
    in between, widths ``base_channels * 2**level``), a mirrored decoder
    (bilinear up-sampling, concatenation with the encoder level, two conv
    modules) and a 1x1 conv to one logit. The paper says only "a
    lightweight U-Net": the sizes are ours.

    Args:
        in_channels (int): Channels of the segmentation features.
        base_channels (int): Width of the first level. Defaults to 32.
        num_levels (int): Encoder levels (resolutions). Defaults to 3.
        norm_cfg (dict, optional): Norm config. Defaults to BN.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 base_channels: int = 32,
                 num_levels: int = 3,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_levels < 1:
            raise ValueError(f'num_levels must be >= 1, got {num_levels}')
        widths = [base_channels * 2**level for level in range(num_levels)]
        self.encoders = nn.ModuleList(
            self._double_conv(cin, cout, norm_cfg)
            for cin, cout in zip([in_channels] + widths[:-1], widths))
        self.decoders = nn.ModuleList(
            self._double_conv(deep + skip, skip, norm_cfg)
            for deep, skip in zip(widths[:0:-1], widths[-2::-1]))
        self.classifier = nn.Conv2d(widths[0], 1, 1)

    @staticmethod
    def _double_conv(in_channels: int, out_channels: int,
                     norm_cfg: Optional[dict]) -> nn.Sequential:
        return nn.Sequential(
            ConvModule(in_channels, out_channels, 3, padding=1,
                       norm_cfg=norm_cfg),
            ConvModule(out_channels, out_channels, 3, padding=1,
                       norm_cfg=norm_cfg))

    def forward(self, feats: Tensor) -> Tensor:
        """Forward.

        Args:
            feats (Tensor): ``N x C x H x W`` segmentation features.

        Returns:
            Tensor: ``N x 1 x H x W`` text attention logits.
        """
        skips = []
        x = feats
        for level, encoder in enumerate(self.encoders):
            if level > 0:
                x = F.max_pool2d(x, 2, ceil_mode=True)
            x = encoder(x)
            skips.append(x)
        for decoder, skip in zip(self.decoders, skips[-2::-1]):
            x = F.interpolate(
                x, skip.shape[-2:], mode='bilinear', align_corners=False)
            x = decoder(torch.cat([x, skip], 1))
        return self.classifier(x)


@MODELS.register_module()
class ARMNetTextAttention(BaseModule):
    """Eq. (6): the text attention map queries the segmentation features.

    ``T_e = softmax(F_Q F_K^T) F_V``: queries from the text attention map
    (a 3x3 conv + ReLU + 1x1 conv lift the 1-channel map to
    ``key_channels``), keys and values from the segmentation features (1x1
    convs). Each position's output is a mixture of the value vectors of the
    positions whose features match its attention value: text-like features
    are gathered where the map says text.

    Our reading (the paper gives eq. (6) only):

    - scaled dot-product (divided by ``sqrt(key_channels)``);
    - keys and values are average-pooled by ``kv_stride`` so the relation
      matrix is ``HW x HW / kv_stride^2`` (full ``HW x HW`` at stride 4 of a
      512 x 512 image would take 1 GiB per image); ``kv_stride=1`` is the
      literal equation;
    - the enhanced features are added to the input (residual), as the GTM's
      eq. (1) does: replacing the features by ``T_e`` alone would give every
      text pixel the same vector.

    Args:
        in_channels (int): Channels of the segmentation features.
        key_channels (int): Channels of queries and keys. Defaults to 64.
        kv_stride (int): Pooling of keys and values. Defaults to 4.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 key_channels: int = 64,
                 kv_stride: int = 4,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if kv_stride < 1:
            raise ValueError(f'kv_stride must be >= 1, got {kv_stride}')
        self.kv_stride = kv_stride
        self.query = nn.Sequential(
            nn.Conv2d(1, key_channels, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(key_channels, key_channels, 1))
        self.key = nn.Conv2d(in_channels, key_channels, 1)
        self.value = nn.Conv2d(in_channels, in_channels, 1)
        self.scale = 1. / math.sqrt(key_channels)

    def forward(self, feats: Tensor, attention_map: Tensor) -> Tensor:
        """Forward.

        Args:
            feats (Tensor): ``N x C x H x W`` segmentation features.
            attention_map (Tensor): ``N x 1 x H x W`` text attention map in
                [0, 1].

        Returns:
            Tensor: ``N x C x H x W`` enhanced features ``feats + T_e``.
        """
        batch, channels, height, width = feats.shape
        kv_feats = feats
        if self.kv_stride > 1:
            kv_feats = F.avg_pool2d(
                feats, self.kv_stride, self.kv_stride, ceil_mode=True)
        query = self.query(attention_map).flatten(2).transpose(1, 2)
        key = self.key(kv_feats).flatten(2)
        value = self.value(kv_feats).flatten(2).transpose(1, 2)
        relation = torch.softmax(query @ key * self.scale, dim=-1)
        enhanced = (relation @ value).transpose(1, 2).reshape(
            batch, channels, height, width)
        return feats + enhanced


@MODELS.register_module()
class ARMNetREM(BaseModule):
    """Recognition Enhanced Module: a recognizer's text attention prior.

    Training: the frozen recognizer reads the batch's words and its
    attention maps, pasted in place, give the target text attention map
    (:meth:`text_attention_target`, see
    :mod:`~mmtextknow.models.textseg.armnet.text_attention_target`); the
    U-Net learns to predict it from the segmentation features (L1 loss,
    :meth:`loss`). Inference: the U-Net's prediction is the map. Either map
    enhances the features with eq. (6) (:class:`ARMNetTextAttention`).

    Args:
        in_channels (int): Channels of the segmentation features.
        recognizer (dict, optional): :class:`RecognizerTextAttention`
            arguments: ``config`` (an MMOCR recognition config file) or
            ``model`` (a model config), ``checkpoint`` (its weights; None
            for random weights), ``crop_size``. Needed for training only;
            None builds a REM that can only predict.
        unet (dict, optional): :class:`ARMNetAttentionUNet` arguments
            besides ``in_channels``.
        attention (dict, optional): :class:`ARMNetTextAttention` arguments
            besides ``in_channels``.
        loss_weight (float): Weight of the L1 loss. Defaults to 1.
        train_with_target (bool): In training, enhance with the
            recognizer's map (the paper: the U-Net's prediction replaces it
            at inference) rather than with the U-Net's own prediction.
            Defaults to True.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 recognizer: Optional[dict] = None,
                 unet: Optional[dict] = None,
                 attention: Optional[dict] = None,
                 loss_weight: float = 1.0,
                 train_with_target: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.unet = ARMNetAttentionUNet(in_channels, **(unet or {}))
        self.attention = ARMNetTextAttention(in_channels,
                                             **(attention or {}))
        self.text_attention = (
            RecognizerTextAttention(**recognizer)
            if recognizer is not None else None)
        self.loss_weight = loss_weight
        self.train_with_target = train_with_target

    def forward(self,
                feats: Tensor,
                attention_map: Optional[Tensor] = None
                ) -> Tuple[Tensor, Tensor]:
        """Enhance the features with a text attention map.

        Args:
            feats (Tensor): ``N x C x H x W`` segmentation features.
            attention_map (Tensor, optional): ``N x 1 x H x W`` map in
                [0, 1] to enhance with; None uses the U-Net's prediction.

        Returns:
            tuple[Tensor, Tensor]: The enhanced features (as ``feats``) and
            the U-Net's attention logits (``N x 1 x H x W``).
        """
        logits = self.unet(feats)
        if attention_map is None:
            attention_map = logits.sigmoid()
        return self.attention(feats, attention_map), logits

    def text_attention_target(
            self, inputs: Tensor, data_samples: Sequence[TextSegDataSample],
            feat_shape: Tuple[int, int],
            image_preprocessor: BaseDataPreprocessor
    ) -> Tuple[Tensor, Tensor]:
        """The recognizer's text attention map of a batch and loss weights.

        Args:
            inputs (Tensor): ``N x C x H x W`` preprocessed images.
            data_samples (list[TextSegDataSample]): Their samples, with
                ``gt_instances`` (word boxes) where the image has words.
            feat_shape (tuple[int, int]): ``(h, w)`` of the features.
            image_preprocessor (BaseDataPreprocessor): The segmentor's data
                preprocessor (to undo its normalisation for the crops).

        Returns:
            tuple[Tensor, Tensor]: ``N x 1 x h x w`` target map in [0, 1]
            and ``N x 1 x h x w`` weights (0 in ignored words' boxes).

        Raises:
            RuntimeError: If the REM was built without a recognizer.
        """
        if self.text_attention is None:
            raise RuntimeError(
                'ARMNetREM was built with recognizer=None, which can only '
                'predict: training needs model.rem.recognizer=dict('
                'config=..., checkpoint=...)')
        scale = feat_shape[-1] / inputs.shape[-1]
        rois = word_rois(data_samples, inputs.device)
        word_maps = self.text_attention(inputs, rois, image_preprocessor)
        target = paste_word_maps(word_maps, rois, len(inputs), feat_shape,
                                 scale)
        weight = ignore_weight(data_samples, feat_shape, scale,
                               inputs.device)
        return target, weight

    def loss(self, logits: Tensor, target: Tensor, weight: Tensor) -> Tensor:
        """Weighted L1 between the predicted map and the target.

        Args:
            logits (Tensor): ``N x 1 x h x w`` U-Net logits.
            target (Tensor): ``N x 1 x h x w`` target map in [0, 1].
            weight (Tensor): ``N x 1 x h x w`` per-pixel weights.

        Returns:
            Tensor: The scalar loss times ``loss_weight``.
        """
        error = (logits.sigmoid() - target).abs() * weight
        return self.loss_weight * error.sum() / weight.sum().clamp_min(1.)
