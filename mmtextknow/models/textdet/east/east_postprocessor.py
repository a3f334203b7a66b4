# Copyright (c) mmtextknow contributors. All rights reserved.
"""EAST's postprocessor: threshold, restore, locality-aware NMS, rescore."""
from typing import Sequence, Tuple

import numpy as np
import torch
from mmengine.structures import InstanceData
from mmocr.models.textdet.postprocessors.base import BaseTextDetPostProcessor
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor

from .east_target import fill_polygon
from .geometry import restore_quad, restore_rbox, shrink_quad
from .locality_aware_nms import locality_aware_nms


@MODELS.register_module()
class EASTPostprocessor(BaseTextDetPostProcessor):
    """Text quadrilaterals from EAST's score and geometry maps.

    1. Pixels whose score (sigmoid of the head's logit) exceeds
       ``score_thr`` each restore a quadrilateral from their geometry
       (:func:`restore_rbox` / :func:`restore_quad`), at the pixel's centre
       ``((j + 0.5) * stride, (i + 0.5) * stride)``.
    2. :func:`locality_aware_nms` over them in row-major order.
    3. Each kept quadrilateral is rescored with the mean of the score map
       over its score region (the quadrilateral shrunk by
       ``rescore_shrink_ratio``, as the training targets are) and dropped
       below ``box_score_thr``. The authors' test code averages over the
       whole box (``rescore_shrink_ratio=0``), which for a perfect score
       map gives only the shrunk-to-whole area ratio (about 0.35 for a
       word 5 times as long as high): MMOCR's ``HmeanIOUMetric``, whose
       score thresholds start at 0.3, would drop such boxes. The paper
       keeps the merged score.
    4. The polygons are rescaled to the original image (``rescale_fields``)
       by the data sample's ``scale_factor``.

    ``pred_instances`` gets ``polygons`` (list of ``(8,)`` arrays) and
    ``scores`` (a float tensor), as :class:`mmocr.evaluation.HmeanIOUMetric`
    reads them.

    Args:
        geometry (str): ``'RBOX'`` or ``'QUAD'``.
        score_thr (float): Score-map threshold. Defaults to 0.8 (authors'
            test code).
        nms_thr (float): IoU threshold of the merge and the NMS. Defaults
            to 0.2 (authors' test code).
        box_score_thr (float): Threshold of the rescored boxes. Defaults to
            0.1 (authors' test code).
        rescore_shrink_ratio (float): Shrink ratio of the region the boxes
            are rescored on. Defaults to 0.3 (the targets' ratio).
        stride (int): Input pixels per output cell. Defaults to 4.
        text_repr_type (str): ``'quad'`` (the output is always
            quadrilaterals; ``'poly'`` is accepted for the same output).
        rescale_fields (list[str]): Defaults to ``['polygons']``.
    """

    def __init__(self,
                 geometry: str = 'RBOX',
                 score_thr: float = 0.8,
                 nms_thr: float = 0.2,
                 box_score_thr: float = 0.1,
                 rescore_shrink_ratio: float = 0.3,
                 stride: int = 4,
                 text_repr_type: str = 'quad',
                 rescale_fields: Sequence[str] = ['polygons'],
                 **kwargs) -> None:
        super().__init__(
            text_repr_type=text_repr_type,
            rescale_fields=list(rescale_fields),
            **kwargs)
        if geometry not in ('RBOX', 'QUAD'):
            raise ValueError(
                f"geometry must be 'RBOX' or 'QUAD', got {geometry!r}")
        self.geometry = geometry
        self.score_thr = score_thr
        self.nms_thr = nms_thr
        self.box_score_thr = box_score_thr
        self.rescore_shrink_ratio = rescore_shrink_ratio
        self.stride = stride

    def restore(self, score: Tensor,
                geometry: Tensor) -> Tuple[Tensor, Tensor]:
        """Quadrilaterals of the pixels above ``score_thr``.

        Args:
            score (Tensor): ``(H, W)`` probabilities.
            geometry (Tensor): ``(C, H, W)`` geometry.

        Returns:
            tuple[Tensor, Tensor]: ``(N, 8)`` quadrilaterals in row-major
            pixel order and their ``(N,)`` pixel scores.
        """
        ys, xs = torch.nonzero(score > self.score_thr, as_tuple=True)
        points = torch.stack([(xs + 0.5) * self.stride,
                              (ys + 0.5) * self.stride], dim=1).to(
                                  geometry.dtype)
        geo = geometry[:, ys, xs].t()
        if self.geometry == 'RBOX':
            quads = restore_rbox(points, geo)
        else:
            quads = restore_quad(points, geo)
        return quads, score[ys, xs]

    def mean_scores(self, score: np.ndarray,
                    quads: np.ndarray) -> np.ndarray:
        """Mean of ``score`` (H, W) over the cells whose centre lies inside
        each quadrilateral shrunk by ``rescore_shrink_ratio``
        (:func:`shrink_quad`); 0 for one covering no cell centre."""
        out = np.zeros(len(quads), np.float32)
        region = np.zeros(score.shape, np.uint8)
        for k, quad in enumerate(quads):
            region[:] = 0
            fill_polygon(
                region,
                shrink_quad(quad.reshape(4, 2), self.rescore_shrink_ratio),
                self.stride, 1)
            inside = region.astype(bool)
            if inside.any():
                out[k] = float(score[inside].mean())
        return out

    def get_text_instances(self, pred_results: Sequence[Tensor],
                           data_sample: TextDetDataSample,
                           **kwargs) -> TextDetDataSample:
        """Fill ``data_sample.pred_instances`` from one image's
        ``(score_logits (1, H, W), geometry (C, H, W))``, in input-image
        coordinates (rescaled afterwards by the base class)."""
        score_logits, geometry = pred_results
        score = score_logits[0].detach().float().sigmoid()
        quads, pixel_scores = self.restore(score, geometry.detach().float())
        quads, _ = locality_aware_nms(quads, pixel_scores, self.nms_thr)
        quads = quads.cpu().numpy()
        box_scores = self.mean_scores(score.cpu().numpy(), quads)
        keep = box_scores > self.box_score_thr
        quads, box_scores = quads[keep], box_scores[keep]
        pred = InstanceData()
        pred.polygons = [q.astype(np.float32) for q in quads]
        pred.scores = torch.from_numpy(box_scores)
        data_sample.pred_instances = pred
        return data_sample
