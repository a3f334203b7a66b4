# Copyright (c) mmtextknow contributors. All rights reserved.
"""STKM: pre-train a detection backbone by reading all the words of an
image as one ordered sequence (CVPR 2021)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel
from mmengine.structures import LabelData
from mmocr.registry import MODELS, TASK_UTILS

from mmtextknow.structures import TextSequenceDataSample

from .decoder import sequence_lengths

SampleList = List[TextSequenceDataSample]


class BaseSTKM(BaseModel):
    """The encoder of STKM and its variants.

    ``backbone`` (e.g. mmdet's ResNet; its weights are the ones exported
    for transfer, ``backbone.*``) -> ``neck`` (FPN, P2..P5) -> ``fusion``
    (:class:`STKMFeatureFusion`) -> ``position`` (ASPM, optional) gives a
    ``N x C x H x W`` map, flattened to ``N x HW x C`` image tokens.

    Args:
        backbone (dict): Backbone config.
        neck (dict): Neck config (returns the FPN levels, finest first).
        fusion (dict): Fusion config.
        dictionary (dict): The :class:`OTSGDictionary` config (built with
            ``TASK_UTILS``).
        position (dict, optional): Position map config; None for none.
            Defaults to ``AdaptiveSpatialPositionMap``.
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
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.dictionary = TASK_UTILS.build(dictionary)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck)
        self.fusion = MODELS.build(fusion)
        self.position = MODELS.build(position) if position else None

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The fused (and position-encoded) feature map.

        Args:
            inputs (torch.Tensor): Images, ``N x 3 x H x W``.

        Returns:
            torch.Tensor: ``N x C x h x w``.
        """
        feat = self.fusion(self.neck(self.backbone(inputs)))
        if self.position is not None:
            feat = self.position(feat)
        return feat

    def encode(self, inputs: torch.Tensor) -> torch.Tensor:
        """The image tokens.

        Args:
            inputs (torch.Tensor): Images, ``N x 3 x H x W``.

        Returns:
            torch.Tensor: ``N x hw x C``.
        """
        return self.extract_feat(inputs).flatten(2).transpose(1, 2)


@MODELS.register_module()
class STKM(BaseSTKM):
    """STKM: the encoder of :class:`BaseSTKM` and a self-attention decoder
    trained with teacher forcing on the OTSG sequence (label-smoothed KL
    loss) and decoding greedily at inference.

    The targets are ``data_samples[i].gt_sequence.indexes`` (SOS, words,
    EOS, POS padding). Training uses their first ``max_len`` tokens, cut
    (with ``trim_targets``) after the longest non-POS part of the batch:
    exact, since POS targets have no loss and the causal mask keeps the
    earlier positions from seeing the cut ones.

    Args:
        backbone (dict): Backbone config.
        neck (dict): Neck config.
        fusion (dict): Fusion config.
        decoder (dict): :class:`STKMDecoder` config; ``num_classes``,
            ``pad_idx``, ``sos_idx`` and ``eos_idx`` default to the
            dictionary's.
        dictionary (dict): :class:`OTSGDictionary` config.
        loss (dict): Loss config; ``pad_idx`` defaults to the
            dictionary's. Defaults to ``LabelSmoothedKLLoss`` (eps 0.1).
        position (dict, optional): Position map config. Defaults to ASPM.
        max_len (int, optional): Training tokens per sequence (SOS
            included); None for all. Defaults to None.
        trim_targets (bool): Cut the training sequences after the longest
            non-POS part of the batch. Defaults to True.
        max_decode_steps (int): Most tokens generated at inference.
            Defaults to 99 (the authors' code).
        data_preprocessor (dict, optional): Data preprocessor config.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: Dict,
                 neck: Dict,
                 fusion: Dict,
                 decoder: Dict,
                 dictionary: Dict,
                 loss: Dict = dict(type='LabelSmoothedKLLoss', epsilon=0.1),
                 position: Optional[Dict] = dict(
                     type='AdaptiveSpatialPositionMap'),
                 max_len: Optional[int] = None,
                 trim_targets: bool = True,
                 max_decode_steps: int = 99,
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
        dic = self.dictionary
        decoder = dict(decoder)
        decoder.setdefault('num_classes', dic.num_classes)
        decoder.setdefault('pad_idx', dic.pad_idx)
        decoder.setdefault('sos_idx', dic.sos_idx)
        decoder.setdefault('eos_idx', dic.eos_idx)
        self.decoder = MODELS.build(decoder)
        loss = dict(loss)
        loss.setdefault('pad_idx', dic.pad_idx)
        self.loss_module = MODELS.build(loss)
        self.max_len = max_len
        self.trim_targets = trim_targets
        self.max_decode_steps = max_decode_steps

    def _targets(self, data_samples: SampleList,
                 device: torch.device) -> torch.Tensor:
        """The (cut) target sequences of a batch, ``N x T`` long."""
        targets = torch.stack(
            [sample.gt_sequence.indexes for sample in data_samples])
        targets = targets.to(device=device, dtype=torch.long)
        if self.max_len is not None:
            targets = targets[:, :self.max_len]
        if self.trim_targets:
            lengths = (targets != self.dictionary.pad_idx).sum(1)
            targets = targets[:, :max(int(lengths.max()), 2)]
        return targets

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Teacher-forced label-smoothed KL loss.

        Args:
            inputs (torch.Tensor): Images, ``N x 3 x H x W``.
            data_samples (list[TextSequenceDataSample]): With
                ``gt_sequence``.

        Returns:
            dict[str, torch.Tensor]: ``loss_kl``.
        """
        targets = self._targets(data_samples, inputs.device)
        logits = self.decoder.forward_train(
            self.encode(inputs), targets[:, :-1])
        return dict(loss_kl=self.loss_module(logits, targets[:, 1:]))

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """Greedy decoding.

        Args:
            inputs (torch.Tensor): Images, ``N x 3 x H x W``.
            data_samples (list[TextSequenceDataSample], optional): The
                samples to fill; new ones when None.

        Returns:
            list[TextSequenceDataSample]: With ``pred_sequence`` =
            ``LabelData(indexes, words, scores)``: the classes up to and
            including EOS (SOS excluded), the decoded words and the
            classes' probabilities.
        """
        if data_samples is None:
            data_samples = [
                TextSequenceDataSample() for _ in range(inputs.size(0))
            ]
        indexes, scores = self.decoder.greedy_decode(
            self.encode(inputs), self.max_decode_steps)
        indexes, scores = indexes.cpu(), scores.cpu()
        lengths = sequence_lengths(indexes, self.dictionary.eos_idx)
        for sample, index, score, length in zip(data_samples, indexes,
                                                scores, lengths):
            sample.pred_sequence = LabelData(
                indexes=index[:length],
                words=self.dictionary.decode(index[:length]),
                scores=score[:length])
        return data_samples

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[SampleList] = None) -> torch.Tensor:
        """Logits: teacher-forced on ``gt_sequence`` when the samples have
        one, else those of the greedy decoding (``N x T x C``)."""
        tokens = self.encode(inputs)
        if data_samples is not None and all(
                'gt_sequence' in sample for sample in data_samples):
            targets_in = self._targets(data_samples, inputs.device)[:, :-1]
        else:
            indexes, _ = self.decoder.greedy_decode(tokens,
                                                    self.max_decode_steps)
            sos = indexes.new_full((indexes.size(0), 1),
                                   self.dictionary.sos_idx)
            targets_in = torch.cat([sos, indexes[:, :-1]], dim=1)
        return self.decoder.forward_train(tokens, targets_in)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor'
                ) -> Union[Dict[str, torch.Tensor], SampleList,
                           torch.Tensor]:
        """Dispatch to :meth:`loss`, :meth:`predict` or the logits.

        Args:
            inputs (torch.Tensor): Images, ``N x 3 x H x W``.
            data_samples (list[TextSequenceDataSample], optional): Samples.
            mode (str): ``'loss'``, ``'predict'`` or ``'tensor'``.

        Returns:
            dict, list or torch.Tensor: The losses, the samples with
            predictions, or the logits.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}". Only supports loss, '
                           'predict and tensor mode')
