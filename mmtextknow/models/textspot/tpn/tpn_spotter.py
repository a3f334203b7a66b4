# Copyright (c) mmtextknow contributors. All rights reserved.
"""The TPN spotter (Li, Wang, Shen, ICCV 2017): text proposals, region
features, text detection and recognition in one network."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmdet.structures import DetDataSample
from mmdet.structures.bbox import bbox2roi
from mmengine.model import BaseModel
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData
from mmcv.ops import nms
from mmocr.registry import MODELS, TASK_UTILS
from mmocr.structures import TextDetDataSample, TextSpottingDataSample
from torch import Tensor

SampleList = Sequence[TextDetDataSample]


def box_polygons(bboxes: np.ndarray) -> List[np.ndarray]:
    """Axis-aligned boxes ``K x 4`` -> clockwise 4-point polygons (8,)."""
    return [
        np.array([x1, y1, x2, y1, x2, y2, x1, y2], dtype=np.float32)
        for x1, y1, x2, y2 in bboxes
    ]


@MODELS.register_module()
class TPNSpotter(BaseModel):
    """End-to-end text spotter: VGG-16 at stride 8, text proposal network,
    region feature encoder, text detection network (TDN) and attention
    recognition network (TRN).

    Training: the TPN's losses on its anchors (``loss_tpn_*``); the TPN's
    proposals (plus the ground-truth boxes) are assigned and sampled for
    the TDN (``loss_tdn_*``); the TRN reads the positive regions and is
    trained on the transcripts of their ground-truth words (``loss_trn``)
    unless locked (``trn_locked``, the curriculum's first stage; see
    :class:`TPNCurriculumHook`). Ignored words (``###``) are ignored
    regions for both assigners.

    Inference: proposals -> TDN scores and refined boxes -> score threshold
    and NMS -> the region encoder runs again on the refined boxes -> TRN
    greedy decoding. Outputs ``TextSpottingDataSample`` s whose
    ``pred_instances`` have ``bboxes``, ``polygons`` (4-point), ``scores``
    and ``texts``, in original-image coordinates.

    Args:
        backbone (dict): :class:`VGG16Stride8` config (one output).
        tpn_head (dict): :class:`TPNHead` config.
        roi_pool (dict): :class:`VaryingWidthRoIPool` config.
        region_encoder (dict): :class:`RegionFeatureEncoder` config.
        tdn (dict): :class:`TextDetectionNetwork` config.
        trn (dict): :class:`TextRecognitionNetwork` config.
        train_cfg (dict): ``tpn_proposal`` (the TPN's proposal config while
            training), ``tdn_assigner`` and ``tdn_sampler`` (mmdet configs).
        test_cfg (dict): ``tpn_proposal`` is the TPN head's own
            ``test_cfg``; ``score_thr``, ``nms_iou_thr``, ``max_per_img``
            for the TDN's detections.
        bbox_coder (dict): The TDN's box coder (mmdet config).
        trn_locked (bool): Start with the TRN locked (no recognition loss).
        trn_regions (str): What the TRN reads in training: ``'positives'``
            (the positive regions themselves, IoU >= the TDN assigner's
            ``pos_iou_thr`` with their word: box jitter as augmentation,
            like the refined boxes it reads at inference, and the TDN
            pass's encoding is reused) or ``'gt'`` (each positive region at
            the ground-truth box of its word; the region encoder runs a
            second time). The measured comparison of the two is on the
            method page (configs/textspot/tpn/README.md).
            Defaults to ``'positives'``.
        data_preprocessor (dict, optional): Data preprocessor config.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: Dict,
                 tpn_head: Dict,
                 roi_pool: Dict,
                 region_encoder: Dict,
                 tdn: Dict,
                 trn: Dict,
                 train_cfg: Dict,
                 test_cfg: Dict,
                 bbox_coder: Dict = dict(
                     type='mmdet.DeltaXYWHBBoxCoder',
                     target_means=[0., 0., 0., 0.],
                     target_stds=[0.1, 0.1, 0.2, 0.2]),
                 trn_locked: bool = False,
                 trn_regions: str = 'positives',
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.tpn_head = MODELS.build(tpn_head)
        self.roi_pool = MODELS.build(roi_pool)
        self.region_encoder = MODELS.build(region_encoder)
        self.tdn = MODELS.build(tdn)
        self.trn = MODELS.build(trn)
        self.train_cfg = train_cfg
        self.test_cfg = test_cfg
        # mmdet's assigners build their IoU calculators without a scope
        # prefix: build them in mmdet's scope.
        with DefaultScope.overwrite_default_scope('mmdet'):
            self.bbox_coder = TASK_UTILS.build(bbox_coder)
            self.tdn_assigner = TASK_UTILS.build(train_cfg['tdn_assigner'])
            self.tdn_sampler = TASK_UTILS.build(train_cfg['tdn_sampler'])
        self.trn_locked = trn_locked
        if trn_regions not in ('gt', 'positives'):
            raise ValueError("trn_regions must be 'gt' or 'positives', got "
                             f'{trn_regions!r}')
        self.trn_regions = trn_regions

    @property
    def charset(self):
        """The TRN's character set (:class:`TPNCharset`)."""
        return self.trn.dictionary

    @staticmethod
    def det_samples(data_samples: SampleList,
                    with_gt: bool = True) -> List[DetDataSample]:
        """mmdet views of the samples: ``pad_shape`` in the metainfo and,
        with ``with_gt``, cared words as ``gt_instances`` (label 0, their
        ``texts`` kept) and ignored ones as ``ignored_instances``."""
        samples = []
        for sample in data_samples:
            meta = dict(sample.metainfo)
            # MMOCR's preprocessor sets only batch_input_shape; mmdet's
            # anchor valid flags read pad_shape (the padded batch input).
            if 'batch_input_shape' in meta:
                meta.setdefault('pad_shape', meta['batch_input_shape'])
            det = DetDataSample(metainfo=meta)
            if with_gt:
                gt = sample.gt_instances
                ignored = gt.ignored.bool()
                cared = gt[~ignored]
                det.gt_instances = InstanceData(
                    bboxes=cared.bboxes.float(),
                    labels=torch.zeros(
                        len(cared), dtype=torch.long,
                        device=cared.bboxes.device),
                    texts=list(cared.texts) if 'texts' in cared else
                    [''] * len(cared))
                det.ignored_instances = InstanceData(
                    bboxes=gt[ignored].bboxes.float())
            samples.append(det)
        return samples

    def extract_feat(self, inputs: Tensor) -> Tuple[Tensor]:
        """The stride-8 feature map, as a one-level tuple."""
        return (self.backbone(inputs)[-1], )

    def encode_regions(self, feat: Tensor,
                       rois: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Pool ``rois`` (``K x 5``) at a fixed height and their own width,
        encode them: ``(sequence K x T x C, lengths K, final K x C)``."""
        pooled, lengths = self.roi_pool(feat, rois)
        sequence, final = self.region_encoder(pooled, lengths)
        return sequence, lengths, final

    def loss(self, inputs: Tensor,
             data_samples: SampleList) -> Dict[str, Tensor]:
        """TPN, TDN and (unless locked) TRN losses."""
        x = self.extract_feat(inputs)
        det_samples = self.det_samples(data_samples)
        losses, proposals = self.tpn_head.loss_and_predict(
            x, det_samples, proposal_cfg=self.train_cfg['tpn_proposal'])
        sampled = [
            self._sample_regions(props, det)
            for props, det in zip(proposals, det_samples)
        ]
        tdn_losses, encoded = self._tdn_loss(x[0], sampled)
        losses.update(tdn_losses)
        if not self.trn_locked:
            losses.update(
                self._trn_loss(x[0], sampled, det_samples, encoded))
        return losses

    def _sample_regions(self, proposals: InstanceData, det: DetDataSample):
        proposals = InstanceData(priors=proposals.bboxes.detach())
        assign = self.tdn_assigner.assign(proposals, det.gt_instances,
                                          det.ignored_instances)
        return self.tdn_sampler.sample(assign, proposals, det.gt_instances)

    def _tdn_loss(self, feat: Tensor, sampled: list
                  ) -> Tuple[Dict[str, Tensor], Tuple[Tensor, Tensor]]:
        """TDN losses on the sampled regions, and their encoded
        ``(sequence, lengths)`` (positives first in each image's block)."""
        rois = bbox2roi([res.priors for res in sampled])
        sequence, lengths, final = self.encode_regions(feat, rois)
        cls_score, bbox_pred = self.tdn(final)
        labels, targets, weights = [], [], []
        for res in sampled:
            num = len(res.priors)
            label = torch.zeros(num, device=feat.device)
            target = torch.zeros(num, 4, device=feat.device)
            weight = torch.zeros(num, 4, device=feat.device)
            num_pos = len(res.pos_inds)
            label[:num_pos] = 1
            if num_pos:
                target[:num_pos] = self.bbox_coder.encode(
                    res.pos_priors, res.pos_gt_bboxes)
                weight[:num_pos] = 1
            labels.append(label)
            targets.append(target)
            weights.append(weight)
        losses = self.tdn.loss(cls_score, bbox_pred, torch.cat(labels),
                               torch.cat(targets), None, torch.cat(weights))
        losses = {
            f'loss_tdn_{k[len("loss_"):]}': v
            for k, v in losses.items()
        }
        return losses, (sequence, lengths)

    def _trn_loss(self, feat: Tensor, sampled: list,
                  det_samples: List[DetDataSample],
                  encoded: Tuple[Tensor, Tensor]) -> Dict[str, Tensor]:
        """The TRN's loss on the positive regions (see ``trn_regions``);
        ``encoded`` is the TDN pass's encoding of all sampled regions."""
        boxes, texts, rows, start = [], [], [], 0
        for res, det in zip(sampled, det_samples):
            gt = det.gt_instances
            inds = res.pos_assigned_gt_inds.tolist()
            boxes.append(gt.bboxes[inds] if inds else gt.bboxes[:0])
            texts += [gt.texts[i] for i in inds]
            rows += range(start, start + len(inds))
            start += len(res.priors)
        if not texts:  # no positive region in the batch
            return dict(loss_trn=feat.sum() * 0)
        if self.trn_regions == 'positives':
            rows = torch.as_tensor(rows, device=feat.device)
            sequence, lengths = encoded[0][rows], encoded[1][rows]
            sequence = sequence[:, :int(lengths.max())]
        else:
            sequence, lengths, _ = self.encode_regions(
                feat, bbox2roi(boxes))
        targets, _ = self.charset.encode_words(
            texts, self.trn.ignore_index, device=feat.device)
        logits = self.trn.forward_train(sequence, lengths, targets)
        return dict(loss_trn=self.trn.loss(logits, targets)['loss_rec'])

    def predict(self, inputs: Tensor,
                data_samples: SampleList) -> List[TextSpottingDataSample]:
        """Detect and read: ``pred_instances`` with boxes, 4-point
        polygons, scores and texts in original-image coordinates."""
        x = self.extract_feat(inputs)
        # no ground truth at inference (images without annotations)
        det_samples = self.det_samples(data_samples, with_gt=False)
        proposals = self.tpn_head.predict(x, det_samples, rescale=False)
        results = []
        for index, (props, sample) in enumerate(zip(proposals,
                                                    data_samples)):
            bboxes, scores = self._detect(x[0], index, props.bboxes,
                                          sample.img_shape)
            texts = self._read(x[0], index, bboxes)
            results.append(self._pack(sample, bboxes, scores, texts))
        return results

    def _detect(self, feat: Tensor, index: int, proposals: Tensor,
                img_shape: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
        """TDN: score and refine one image's proposals, threshold, NMS."""
        if len(proposals) == 0:
            return proposals.new_zeros(0, 4), proposals.new_zeros(0)
        rois = torch.cat(
            [proposals.new_full((len(proposals), 1), index), proposals], 1)
        _, _, final = self.encode_regions(feat, rois)
        cls_score, bbox_pred = self.tdn(final)
        scores = cls_score.sigmoid()
        bboxes = self.bbox_coder.decode(
            proposals, bbox_pred, max_shape=img_shape[:2])
        keep = scores > self.test_cfg['score_thr']
        bboxes, scores = bboxes[keep], scores[keep]
        if len(bboxes):
            _, kept = nms(bboxes, scores, self.test_cfg['nms_iou_thr'])
            kept = kept[:self.test_cfg['max_per_img']]
            bboxes, scores = bboxes[kept], scores[kept]
        return bboxes, scores

    def _read(self, feat: Tensor, index: int, bboxes: Tensor) -> List[str]:
        """TRN: read the detected words (the region encoder runs again on
        the refined boxes)."""
        if len(bboxes) == 0:
            return []
        rois = torch.cat([bboxes.new_full((len(bboxes), 1), index), bboxes],
                         1)
        sequence, lengths, _ = self.encode_regions(feat, rois)
        indices, _ = self.trn.forward_test(sequence, lengths)
        return self.charset.decode_indices(indices)

    @staticmethod
    def _pack(sample: TextDetDataSample, bboxes: Tensor, scores: Tensor,
              texts: List[str]) -> TextSpottingDataSample:
        result = TextSpottingDataSample(metainfo=sample.metainfo)
        if 'gt_instances' in sample:
            result.gt_instances = sample.gt_instances
        bboxes = bboxes.detach().cpu()
        scale = sample.metainfo.get('scale_factor', (1., 1.))
        bboxes = bboxes / bboxes.new_tensor([scale[0], scale[1]] * 2)
        result.pred_instances = InstanceData(
            bboxes=bboxes,
            polygons=box_polygons(bboxes.numpy()),
            scores=scores.detach().cpu(),
            texts=texts)
        return result

    def _forward(self, inputs: Tensor,
                 data_samples: Optional[SampleList] = None):
        """The TPN's raw outputs (textness logits and deltas)."""
        return self.tpn_head(self.extract_feat(inputs))

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor'):
        """``'loss'``, ``'predict'`` or ``'tensor'``."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}". Only supports loss, '
                           'predict and tensor mode')
