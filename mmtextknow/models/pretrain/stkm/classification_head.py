# Copyright (c) mmtextknow contributors. All rights reserved.
"""The ablation of STKM without the decoder (paper Table 1): the same
encoder trained by character-level multi-label classification."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.structures import LabelData
from mmocr.registry import MODELS

from .stkm import BaseSTKM, SampleList
from mmtextknow.structures import TextSequenceDataSample


@MODELS.register_module()
class STKMCharClassifier(BaseModule):
    """Which characters occur in the image: global average pooling, a
    linear layer, one sigmoid per character class.

    Args:
        in_channels (int): Channels of the fused feature map.
        num_classes (int): Number of character classes.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.fc = nn.Linear(in_channels, num_classes)

    def forward(self, feat: torch.Tensor) -> torch.Tensor:
        """Logits ``N x num_classes`` of an ``N x C x H x W`` map."""
        return self.fc(feat.mean(dim=(2, 3)))


@MODELS.register_module()
class STKMMultiLabel(BaseSTKM):
    """STKM's encoder with :class:`STKMCharClassifier` instead of the
    decoder, trained with binary cross-entropy on the set of characters of
    the image's words (the dictionary's character classes, UNK included).

    ``predict`` gives ``pred_sequence`` with ``chars`` (the characters
    whose probability exceeds ``threshold``, in class order), ``scores``
    (all the probabilities) and ``words = []`` (a set of characters reads
    no word).

    Args:
        backbone (dict): Backbone config.
        neck (dict): Neck config.
        fusion (dict): Fusion config.
        dictionary (dict): :class:`OTSGDictionary` config.
        position (dict, optional): Position map config.
        threshold (float): Probability threshold of a present character.
            Defaults to 0.5.
        data_preprocessor (dict, optional): Data preprocessor config.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: Dict,
                 neck: Dict,
                 fusion: Dict,
                 dictionary: Dict,
                 position: Optional[Dict] = dict(
                     type='AdaptiveSpatialPositionMap'),
                 threshold: float = 0.5,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(
            backbone=backbone,
            neck=neck,
            fusion=fusion,
            dictionary=dictionary,
            position=position,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.offset = self.dictionary.char_offset
        self.num_chars = self.dictionary.num_classes - self.offset
        self.head = STKMCharClassifier(self.fusion.out_channels,
                                       self.num_chars)
        self.threshold = threshold

    def char_targets(self, data_samples: SampleList,
                     device: torch.device) -> torch.Tensor:
        """Multi-hot character targets ``N x num_chars`` from the
        samples' ``gt_sequence.indexes``."""
        indexes = torch.stack(
            [s.gt_sequence.indexes for s in data_samples]).to(device)
        is_char = indexes >= self.offset
        classes = (indexes - self.offset).clamp(min=0)
        targets = torch.zeros(
            indexes.size(0), self.num_chars, device=device)
        return targets.scatter_(1, classes, is_char.float()).clamp_(max=1)

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """BCE of the character logits: ``dict(loss_bce=...)``."""
        logits = self.head(self.extract_feat(inputs))
        targets = self.char_targets(data_samples, inputs.device)
        return dict(
            loss_bce=F.binary_cross_entropy_with_logits(logits, targets))

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """The set of characters above ``threshold`` per image."""
        if data_samples is None:
            data_samples = [
                TextSequenceDataSample() for _ in range(inputs.size(0))
            ]
        probs = self.head(self.extract_feat(inputs)).sigmoid().cpu()
        for sample, prob in zip(data_samples, probs):
            present = (prob > self.threshold).nonzero().flatten()
            chars: List[str] = [
                self.dictionary.idx2char(int(i) + self.offset)
                for i in present
            ]
            sample.pred_sequence = LabelData(
                indexes=present + self.offset,
                chars=chars,
                words=[],
                scores=prob)
        return data_samples

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor'):
        """``'loss'``, ``'predict'`` or ``'tensor'`` (character logits)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.head(self.extract_feat(inputs))
        raise RuntimeError(f'Invalid mode "{mode}". Only supports loss, '
                           'predict and tensor mode')
