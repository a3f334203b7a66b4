"""The plain FCN baseline of pixel-level text segmentation."""
from typing import Dict, Optional, Sequence, Union

import torch
from mmocr.registry import MODELS

from .base import BaseTextSegmentor, SampleList


@MODELS.register_module()
class FCNTextSegmentor(BaseTextSegmentor):
    """Backbone (+ optional neck) + FCN decoder, one text logit per pixel.

    The reference model of the text segmentation task and the baseline the
    ARM-Net benchmark is compared against. Trained on the pixel-level mask
    of the samples that have one (``has_pixel_mask``).

    Args:
        backbone (dict): Backbone config, e.g. ``dict(type='mmdet.ResNet',
            depth=18, out_indices=(0, 1, 2, 3), init_cfg=None)``.
        decode_head (dict): Decoder config, e.g. ``FCNTextSegHead``; it must
            provide ``forward(feats, out_shape)`` and
            ``loss_by_feat(logits, gt_masks, valid)``.
        neck (dict, optional): Neck config (e.g. MMOCR's ``FPNC``).
        data_preprocessor (dict, optional): Data preprocessor config
            (``TextSegDataPreprocessor``).
        threshold (float): Probability above which a pixel is text.
            Defaults to 0.5.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 decode_head: dict,
                 neck: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 threshold: float = 0.5,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            threshold=threshold,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.decode_head = MODELS.build(decode_head)

    def extract_feat(
        self, inputs: torch.Tensor
    ) -> Union[torch.Tensor, Sequence[torch.Tensor]]:
        """Backbone (and neck) features of the preprocessed images.

        Args:
            inputs (Tensor): NxCxHxW images.

        Returns:
            Tensor | tuple[Tensor]: The features.
        """
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        return feats

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[SampleList] = None) -> torch.Tensor:
        """Text logits at the input size, Nx1xHxW."""
        return self.decode_head(
            self.extract_feat(inputs), tuple(inputs.shape[-2:]))

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """BCE + Dice on the pixel masks of the samples that have one.

        Args:
            inputs (Tensor): NxCxHxW images.
            data_samples (list[TextSegDataSample]): Samples whose gt masks
                are padded to the input size.

        Returns:
            dict[str, Tensor]: ``loss_bce`` and ``loss_dice``.
        """
        logits = self._forward(inputs)
        gt_masks, valid = self.stack_gt_masks(data_samples, 'gt_pixel_mask',
                                              logits.shape[-2:],
                                              logits.device)
        return self.decode_head.loss_by_feat(logits, gt_masks, valid)

    def predict(self, inputs: torch.Tensor,
                data_samples: SampleList) -> SampleList:
        """Predict text masks at each sample's original size.

        Args:
            inputs (Tensor): NxCxHxW images.
            data_samples (list[TextSegDataSample]): The samples.

        Returns:
            list[TextSegDataSample]: The samples with ``pred_pixel_mask``.
        """
        return self.postprocess(
            self._forward(inputs), data_samples, from_logits=True)
