# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text Proposal Network head (TPN, Li, Wang, Shen, ICCV 2017).

TPN is an RPN adapted to text. :class:`TPNHead` subclasses mmdet's
:class:`~mmdet.models.dense_heads.RPNHead` and reuses everything it does not
change: anchors (:func:`tpn_anchor_generator_cfg`, 24 per position), target
assignment (``MaxIoUAssigner``: positive IoU >= 0.7, negative < 0.3),
``DeltaXYWHBBoxCoder``, binary logistic (sigmoid cross-entropy) textness
loss, smooth-L1 box loss over positives and the proposal post-processing
(``predict_by_feat`` with NMS).

What TPN changes:

1. **Layers.** Instead of RPN's single 3x3 conv, several convolutions with
   RECTANGULAR kernels run in parallel on the feature map (default
   ``(3, 3)``, ``(5, 3)`` and ``(3, 1)``). Kernels are given as
   ``(width, height)`` -- ``(5, 3)`` is 5 pixels wide and 3 high -- i.e. the
   :class:`torch.nn.Conv2d` ``kernel_size`` is ``(height, width)``; all sizes
   must be odd and ``padding = (height // 2, width // 2)`` keeps the feature
   map size. The branch outputs are concatenated along channels
   (``fusion='concat'``, default: each branch keeps its own channels, as in an
   Inception block) or summed (``fusion='sum'``), followed by ReLU and two
   1x1 convs giving ``num_base_priors`` (24) textness logits and
   ``num_base_priors * 4`` (96) box deltas per position.

2. **Hard negative mining** (``hard_negative_mining=True``, default). mmdet's
   ``RandomSampler`` picks the 256 anchors per image at random. With hard
   negative mining the head's sampler is replaced by a ``PseudoSampler``
   (all assigned anchors become targets: every positive and every negative
   gets ``label_weight > 0``) and the selection happens in
   :meth:`TPNHead.loss_by_feat_single`, the least invasive override point:
   it is the first place where per-anchor textness logits and targets of the
   whole batch meet, and it is called once per feature level (TPN has one
   level). Per image, :func:`select_hard_examples` keeps at most
   ``num * pos_fraction`` positives (a random subset if there are more) and
   fills up to ``num`` anchors with the negatives of HIGHEST per-anchor
   textness loss (computed on detached logits); the label / bbox weights of
   all other anchors are set to zero. ``num`` and ``pos_fraction`` are read
   from ``train_cfg['sampler']`` (256 and 0.5 by default), so the same
   ``train_cfg`` serves both modes. Following the paper, the textness loss is
   then averaged over the selected anchors (N) and the box loss over the
   selected positives (N+). With ``hard_negative_mining=False`` nothing of
   this happens: mmdet's random sampling and loss normalisation are used
   unchanged.

Loss keys are renamed ``loss_tpn_cls`` / ``loss_tpn_bbox`` (mmdet's RPNHead
uses ``loss_rpn_cls`` / ``loss_rpn_bbox``); both contain ``loss`` and are
therefore summed by MMEngine's ``parse_losses``.

Registry scope: the head is registered in MMOCR's ``MODELS`` while mmdet's
``AnchorHead`` builds its coder, losses, assigner, sampler and prior
generator with mmdet's registries, and some of them build un-prefixed
defaults of their own (``MaxIoUAssigner``'s ``BboxOverlaps2D``). The head
therefore calls ``RPNHead.__init__`` inside the ``mmdet`` default scope, and
its configs name mmdet components with the ``mmdet.`` prefix
(``type='mmdet.MaxIoUAssigner'``), which resolves under any default scope
(in particular ``init_default_scope('mmocr')``). A non-mmdet component given
to these arguments needs its own prefix (``type='mmocr.X'``).
"""
import copy
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmengine.registry import DefaultScope
from mmdet.models.dense_heads import RPNHead
from mmdet.models.task_modules.samplers import PseudoSampler
from mmdet.utils import InstanceList, OptInstanceList
from torch import Tensor

from mmocr.registry import MODELS
from .anchors import tpn_anchor_generator_cfg

#: Default rectangular kernels of TPN, as ``(width, height)``.
TPN_RECT_KERNELS = ((3, 3), (5, 3), (3, 1))


def select_hard_examples(losses: Tensor,
                         pos_mask: Tensor,
                         neg_mask: Tensor,
                         num: int = 256,
                         pos_fraction: float = 0.5,
                         random_pos: bool = True) -> Tuple[Tensor, Tensor]:
    """Select positives and the hardest negatives of each image.

    Per image (row): keep at most ``int(num * pos_fraction)`` positives (a
    random subset if there are more, the first ones if ``random_pos`` is
    False) and fill up to ``num`` anchors with the negatives of highest
    ``losses``.

    Args:
        losses (Tensor): Per-anchor (classification) loss, shape (N, A);
            only its order among negatives matters.
        pos_mask (Tensor): bool, shape (N, A), positive anchors.
        neg_mask (Tensor): bool, shape (N, A), negative anchors (disjoint
            from ``pos_mask``; anchors in neither are ignored).
        num (int): Number of anchors to keep per image. Defaults to 256.
        pos_fraction (float): Maximal fraction of positives. Defaults to 0.5.
        random_pos (bool): Whether surplus positives are dropped at random.
            Defaults to True.

    Returns:
        tuple[Tensor, Tensor]: bool masks ``(pos_keep, neg_keep)`` of shape
        (N, A), subsets of ``pos_mask`` and ``neg_mask``.
    """
    assert losses.shape == pos_mask.shape == neg_mask.shape
    assert losses.dim() == 2, losses.shape
    assert not (pos_mask & neg_mask).any(), 'pos and neg masks overlap'
    losses = losses.detach()
    pos_keep = torch.zeros_like(pos_mask)
    neg_keep = torch.zeros_like(neg_mask)
    max_pos = int(num * pos_fraction)
    for i in range(losses.size(0)):
        pos_inds = pos_mask[i].nonzero(as_tuple=False).squeeze(1)
        if pos_inds.numel() > max_pos:
            if random_pos:
                perm = torch.randperm(
                    pos_inds.numel(), device=pos_inds.device)[:max_pos]
                pos_inds = pos_inds[perm]
            else:
                pos_inds = pos_inds[:max_pos]
        pos_keep[i, pos_inds] = True
        num_neg = num - pos_inds.numel()
        neg_inds = neg_mask[i].nonzero(as_tuple=False).squeeze(1)
        if num_neg <= 0 or neg_inds.numel() == 0:
            continue
        if neg_inds.numel() > num_neg:
            top = losses[i, neg_inds].topk(num_neg, sorted=False).indices
            neg_inds = neg_inds[top]
        neg_keep[i, neg_inds] = True
    return pos_keep, neg_keep


@MODELS.register_module()
class TPNHead(RPNHead):
    """Text Proposal Network head: RPN with rectangular conv filters and
    hard negative mining.

    Args:
        in_channels (int): Channels of the input feature map. Defaults to
            512 (:class:`VGG16Stride8`).
        feat_channels (int): Output channels of EACH rectangular branch.
            Defaults to 512.
        rect_kernels (Sequence[Sequence[int]]): Kernel sizes of the parallel
            branches as ``(width, height)``, all odd. Defaults to
            ``((3, 3), (5, 3), (3, 1))``.
        fusion (str): ``'concat'`` (the 1x1 convs see
            ``feat_channels * len(rect_kernels)`` channels) or ``'sum'``
            (they see ``feat_channels``). Defaults to ``'concat'``.
        hard_negative_mining (bool): Keep the hardest negatives (see the
            module docstring) instead of mmdet's random sampling. Defaults to
            True.
        anchor_generator (dict): Defaults to :func:`tpn_anchor_generator_cfg`.
        bbox_coder, loss_cls, loss_bbox (dict): As in mmdet's ``AnchorHead``
            (mmdet-prefixed defaults: ``DeltaXYWHBBoxCoder``, sigmoid
            ``CrossEntropyLoss``, ``SmoothL1Loss(beta=1/9)``).
        train_cfg, test_cfg (dict, optional): As mmdet's ``RPNHead``; the
            paper's values are in ``configs/textspot/tpn/_base_tpn_vgg16.py``.
        **kwargs: Further ``RPNHead`` / ``AnchorHead`` arguments.

    Inputs / outputs: ``forward(x)`` with ``x`` a tuple of one (B, C, H, W)
    feature map returns ``([cls_score], [bbox_pred])`` with shapes
    (B, 24, H, W) and (B, 96, H, W) for the 24 default anchors.
    """

    def __init__(self,
                 in_channels: int = 512,
                 feat_channels: int = 512,
                 rect_kernels: Sequence[Sequence[int]] = TPN_RECT_KERNELS,
                 fusion: str = 'concat',
                 hard_negative_mining: bool = True,
                 anchor_generator: Optional[dict] = None,
                 bbox_coder: dict = dict(
                     type='mmdet.DeltaXYWHBBoxCoder',
                     target_means=(.0, .0, .0, .0),
                     target_stds=(1.0, 1.0, 1.0, 1.0)),
                 loss_cls: dict = dict(
                     type='mmdet.CrossEntropyLoss',
                     use_sigmoid=True,
                     loss_weight=1.0),
                 loss_bbox: dict = dict(
                     type='mmdet.SmoothL1Loss', beta=1.0 / 9.0,
                     loss_weight=1.0),
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 **kwargs) -> None:
        rect_kernels = tuple(tuple(int(s) for s in k) for k in rect_kernels)
        assert len(rect_kernels) > 0, 'rect_kernels must not be empty'
        for k in rect_kernels:
            assert len(k) == 2 and k[0] > 0 and k[1] > 0 and \
                k[0] % 2 == 1 and k[1] % 2 == 1, \
                f'kernel (width, height) must be positive and odd, got {k}'
        assert fusion in ('concat', 'sum'), fusion
        assert kwargs.get('num_convs', 1) == 1, \
            'TPNHead uses parallel rectangular branches, not num_convs'
        self.rect_kernels = rect_kernels
        self.fusion = fusion
        self.hard_negative_mining = hard_negative_mining
        if anchor_generator is None:
            anchor_generator = tpn_anchor_generator_cfg()
        # mmdet's RPNHead reads test_cfg by attribute (``cfg.nms``).
        if isinstance(train_cfg, dict):
            train_cfg = ConfigDict(train_cfg)
        if isinstance(test_cfg, dict):
            test_cfg = ConfigDict(test_cfg)
        # mmdet's AnchorHead builds its components (and they build their
        # own un-prefixed defaults, e.g. MaxIoUAssigner's BboxOverlaps2D)
        # with mmdet's registries: build them in the mmdet scope.
        with DefaultScope.overwrite_default_scope('mmdet'):
            super().__init__(
                in_channels=in_channels,
                feat_channels=feat_channels,
                anchor_generator=anchor_generator,
                bbox_coder=bbox_coder,
                loss_cls=loss_cls,
                loss_bbox=loss_bbox,
                train_cfg=train_cfg,
                test_cfg=test_cfg,
                **kwargs)
        if hard_negative_mining:
            assert self.use_sigmoid_cls, \
                'hard negative mining expects a sigmoid textness loss'
            assert self.prior_generator.num_levels == 1, \
                'hard negative mining is implemented for one feature level'
        if self.train_cfg:
            sampler_cfg = self.train_cfg.get('sampler', None) or {}
            self.hnm_num = int(sampler_cfg.get('num', 256))
            self.hnm_pos_fraction = float(
                sampler_cfg.get('pos_fraction', 0.5))
            if hard_negative_mining:
                # All assigned anchors become targets; the selection is done
                # in ``loss_by_feat_single``.
                self.sampler = PseudoSampler(context=self)

    def _init_layers(self) -> None:
        """Initialize the rectangular branches and the 1x1 output convs."""
        self.rpn_convs = nn.ModuleList()
        for (w, h) in self.rect_kernels:
            self.rpn_convs.append(
                nn.Conv2d(
                    self.in_channels,
                    self.feat_channels,
                    kernel_size=(h, w),
                    padding=(h // 2, w // 2)))
        fused = self.feat_channels * len(self.rect_kernels) \
            if self.fusion == 'concat' else self.feat_channels
        self.rpn_cls = nn.Conv2d(fused,
                                 self.num_base_priors * self.cls_out_channels,
                                 1)
        reg_dim = self.bbox_coder.encode_size
        self.rpn_reg = nn.Conv2d(fused, self.num_base_priors * reg_dim, 1)

    def forward_single(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """Forward one feature level.

        Args:
            x (Tensor): Features of shape (B, in_channels, H, W).

        Returns:
            tuple[Tensor, Tensor]: Textness logits (B, num_base_priors, H, W)
            and box deltas (B, num_base_priors * 4, H, W).
        """
        feats = [conv(x) for conv in self.rpn_convs]
        if self.fusion == 'concat':
            x = torch.cat(feats, dim=1)
        else:
            x = torch.stack(feats, dim=0).sum(dim=0)
        x = F.relu(x)
        return self.rpn_cls(x), self.rpn_reg(x)

    def loss_by_feat_single(self, cls_score: Tensor, bbox_pred: Tensor,
                            anchors: Tensor, labels: Tensor,
                            label_weights: Tensor, bbox_targets: Tensor,
                            bbox_weights: Tensor, avg_factor: int) -> tuple:
        """Losses of one feature level, with hard negative mining.

        Args:
            cls_score (Tensor): (B, num_base_priors, H, W) textness logits.
            bbox_pred (Tensor): (B, num_base_priors * 4, H, W) deltas.
            anchors (Tensor): (B, A, 4) anchors, ``A = H * W *
                num_base_priors``.
            labels (Tensor): (B, A); 0 = text, 1 (``num_classes``) = bg.
            label_weights (Tensor): (B, A); > 0 for assigned anchors.
            bbox_targets (Tensor): (B, A, 4).
            bbox_weights (Tensor): (B, A, 4); 1 for positives.
            avg_factor (int): mmdet's normaliser (unused with hard negative
                mining, which normalises by the selected N and N+).

        Returns:
            tuple[Tensor, Tensor]: Textness loss and box loss.
        """
        if not (self.hard_negative_mining and self.train_cfg):
            return super().loss_by_feat_single(cls_score, bbox_pred, anchors,
                                               labels, label_weights,
                                               bbox_targets, bbox_weights,
                                               avg_factor)
        num_imgs = cls_score.size(0)
        logits = cls_score.permute(0, 2, 3, 1).reshape(num_imgs, -1)
        assert logits.shape == labels.shape, (logits.shape, labels.shape)
        valid = label_weights > 0
        pos_mask = valid & (labels < self.num_classes)
        neg_mask = valid & (labels == self.num_classes)
        with torch.no_grad():
            per_anchor = F.binary_cross_entropy_with_logits(
                logits.float(), pos_mask.float(), reduction='none')
        pos_keep, neg_keep = select_hard_examples(per_anchor, pos_mask,
                                                  neg_mask, self.hnm_num,
                                                  self.hnm_pos_fraction)
        keep = pos_keep | neg_keep
        label_weights = label_weights * keep.to(label_weights.dtype)
        bbox_weights = bbox_weights * pos_keep.unsqueeze(-1).to(
            bbox_weights.dtype)
        num_sel = max(int(keep.sum()), 1)
        num_pos = max(int(pos_keep.sum()), 1)
        loss_cls, _ = super().loss_by_feat_single(cls_score, bbox_pred,
                                                  anchors, labels,
                                                  label_weights, bbox_targets,
                                                  bbox_weights, num_sel)
        _, loss_bbox = super().loss_by_feat_single(cls_score, bbox_pred,
                                                   anchors, labels,
                                                   label_weights,
                                                   bbox_targets, bbox_weights,
                                                   num_pos)
        return loss_cls, loss_bbox

    def loss_by_feat(self,
                     cls_scores: List[Tensor],
                     bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_gt_instances_ignore: OptInstanceList = None
                     ) -> dict:
        """Compute the TPN losses.

        Args:
            cls_scores (list[Tensor]): (B, num_base_priors, H, W) per level.
            bbox_preds (list[Tensor]): (B, num_base_priors * 4, H, W) per
                level.
            batch_gt_instances (list[InstanceData]): ``bboxes`` (n, 4) in
                (x1, y1, x2, y2) pixels and ``labels`` (n,) (all 0).
            batch_img_metas (list[dict]): Need ``img_shape`` (and
                ``pad_shape`` for anchor validity).
            batch_gt_instances_ignore (list[InstanceData], optional):
                Ignored boxes.

        Returns:
            dict[str, list[Tensor]]: ``loss_tpn_cls`` and ``loss_tpn_bbox``
            (one entry per level).
        """
        losses = super().loss_by_feat(
            cls_scores,
            bbox_preds,
            batch_gt_instances,
            batch_img_metas,
            batch_gt_instances_ignore=batch_gt_instances_ignore)
        return dict(
            loss_tpn_cls=losses['loss_rpn_cls'],
            loss_tpn_bbox=losses['loss_rpn_bbox'])
