# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text Detection Network (TDN) of TPN (Li, Wang, Shen, ICCV 2017).

An MLP on the fixed-length region feature ``h`` of the Region Feature
Encoder (by default two fully connected layers of 2048 units with ReLU),
followed by a textness logit and class-agnostic box deltas (4 values,
encoded / decoded by the caller's box coder, e.g. mmdet's
``DeltaXYWHBBoxCoder``).

Loss (paper: binary logistic / N + smooth L1 / N+): the classification loss
is mmdet's ``CrossEntropyLoss(use_sigmoid=True)`` averaged over the sampled
RoIs (``sum(label_weights)``); the regression loss is mmdet's
``SmoothL1Loss`` summed over the coordinates of the positive RoIs
(``labels == 1`` and non-zero ``bbox_weights``) and divided by the number of
positives (at least 1). Both are built through ``MODELS.build`` with the
``mmdet.`` scope prefix, so any mmdet loss config can be swapped in.
"""
from typing import Dict, Optional, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmocr.registry import MODELS


@MODELS.register_module()
class TextDetectionNetwork(BaseModule):
    """TDN head: MLP -> textness logit and box deltas.

    Args:
        in_channels (int): Size of the region feature ``h``.
            Defaults to 256.
        fc_channels (int): Units of each hidden fully connected layer.
            Defaults to 2048.
        num_fcs (int): Number of hidden fully connected layers (each
            followed by ReLU). Defaults to 2.
        dropout (float): Dropout after each hidden layer. Defaults to 0.
        loss_cls (dict): Config of the binary classification loss, applied
            to the textness logits. Defaults to
            ``dict(type='mmdet.CrossEntropyLoss', use_sigmoid=True,
            loss_weight=1.0)``.
        loss_bbox (dict): Config of the box regression loss. Defaults to
            ``dict(type='mmdet.SmoothL1Loss', beta=1.0, loss_weight=1.0)``.
        init_cfg (dict or list[dict], optional): Initialization configs.
            Defaults to Xavier for the hidden layers, ``Normal(std=0.01)``
            for the classifier and ``Normal(std=0.001)`` for the regressor.
    """

    def __init__(self,
                 in_channels: int = 256,
                 fc_channels: int = 2048,
                 num_fcs: int = 2,
                 dropout: float = 0.,
                 loss_cls: Dict = dict(
                     type='mmdet.CrossEntropyLoss',
                     use_sigmoid=True,
                     loss_weight=1.0),
                 loss_bbox: Dict = dict(
                     type='mmdet.SmoothL1Loss', beta=1.0, loss_weight=1.0),
                 init_cfg: Optional[Dict] = [
                     dict(
                         type='Xavier',
                         layer='Linear',
                         distribution='uniform',
                         override=[
                             dict(type='Normal', name='fc_cls', std=0.01),
                             dict(type='Normal', name='fc_reg', std=0.001)
                         ])
                 ]) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.fc_channels = fc_channels
        self.num_fcs = num_fcs
        layers = []
        last = in_channels
        for _ in range(num_fcs):
            layers.append(nn.Linear(last, fc_channels))
            layers.append(nn.ReLU(inplace=True))
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            last = fc_channels
        self.shared_fcs = nn.Sequential(*layers)
        self.fc_cls = nn.Linear(last, 1)
        self.fc_reg = nn.Linear(last, 4)
        self.loss_cls = MODELS.build(loss_cls)
        self.loss_bbox = MODELS.build(loss_bbox)

    def forward(self, region_feats: Tensor) -> Tuple[Tensor, Tensor]:
        """Score and refine the regions.

        Args:
            region_feats (Tensor): Region features ``h``, shape
                (K, in_channels).

        Returns:
            tuple[Tensor, Tensor]:

            - cls_score: (K, ) textness logits (sigmoid gives the score).
            - bbox_pred: (K, 4) box deltas.
        """
        x = self.shared_fcs(region_feats)
        return self.fc_cls(x).squeeze(-1), self.fc_reg(x)

    def loss(self,
             cls_score: Tensor,
             bbox_pred: Tensor,
             labels: Tensor,
             bbox_targets: Tensor,
             label_weights: Optional[Tensor] = None,
             bbox_weights: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Binary logistic loss / N + smooth L1 / N+.

        Args:
            cls_score (Tensor): (K, ) textness logits.
            bbox_pred (Tensor): (K, 4) predicted deltas.
            labels (Tensor): (K, ) 1 for text (positive), 0 for background.
            bbox_targets (Tensor): (K, 4) encoded regression targets (only
                read at positives).
            label_weights (Tensor, optional): (K, ) weights of the
                classification terms (0 drops a RoI). Defaults to ones.
            bbox_weights (Tensor, optional): (K, 4) or (K, ) weights of the
                regression terms. Defaults to ``labels == 1``.

        Returns:
            dict[str, Tensor]: ``loss_cls`` and ``loss_bbox`` (scalars; both
            0 with a graph when K = 0 or there is no positive).
        """
        labels = labels.reshape(-1)
        num_rois = labels.numel()
        assert cls_score.shape == (num_rois, ), cls_score.shape
        assert bbox_pred.shape == (num_rois, 4), bbox_pred.shape
        pos = labels == 1
        if label_weights is None:
            label_weights = cls_score.new_ones(num_rois)
        label_weights = label_weights.reshape(-1).to(cls_score.dtype)
        if bbox_weights is None:
            bbox_weights = pos.to(bbox_pred.dtype)[:, None].expand(-1, 4)
        elif bbox_weights.dim() == 1:
            bbox_weights = bbox_weights[:, None].expand(-1, 4)
        bbox_weights = bbox_weights.to(bbox_pred.dtype) * \
            pos.to(bbox_pred.dtype)[:, None]

        num_samples = max(float(label_weights.sum()), 1.0)
        num_pos = max(float(pos.sum()), 1.0)
        if num_rois == 0:
            zero = cls_score.sum() * 0 + bbox_pred.sum() * 0
            return dict(loss_cls=zero, loss_bbox=zero)
        loss_cls = self.loss_cls(
            cls_score,
            labels.to(cls_score.dtype),
            label_weights,
            avg_factor=num_samples)
        loss_bbox = self.loss_bbox(
            bbox_pred,
            bbox_targets.to(bbox_pred.dtype),
            bbox_weights,
            avg_factor=num_pos)
        return dict(loss_cls=loss_cls, loss_bbox=loss_bbox)
