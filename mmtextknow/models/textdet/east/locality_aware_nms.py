# Copyright (c) mmtextknow contributors. All rights reserved.
"""Locality-aware NMS of EAST, vectorised."""
from typing import Tuple

import torch
from mmcv.ops import box_iou_quadri, nms_quadri
from torch import Tensor


def merge_consecutive(quads: Tensor, scores: Tensor,
                      iou_thr: float) -> Tuple[Tensor, Tensor]:
    """Weighted merge of runs of consecutive overlapping quadrilaterals.

    Quadrilaterals ``i`` and ``i + 1`` (in the given order, for EAST the
    row-major order of their pixels) belong to one run when their IoU
    exceeds ``iou_thr``. Each run becomes one quadrilateral whose vertices
    are the score-weighted mean of the run's vertices and whose score is
    the sum of the run's scores (EAST's ``WeightedMerge``, Alg. 1).

    The authors' loop compares each box with the merge of the run so far;
    this comparison with the previous box alone lets the whole operation
    run as tensor operations. The two agree while neighbouring pixels
    predict similar boxes, which is what the merge is for.

    Args:
        quads (Tensor): ``(N, 8)`` vertices.
        scores (Tensor): ``(N,)`` positive scores.
        iou_thr (float): Merge threshold on the IoU.

    Returns:
        tuple[Tensor, Tensor]: ``(M, 8)`` merged quadrilaterals and their
        ``(M,)`` summed scores, in run order.
    """
    n = quads.shape[0]
    if n <= 1:
        return quads.clone(), scores.clone()
    iou = box_iou_quadri(quads[:-1], quads[1:], aligned=True)
    new_run = torch.ones(n, dtype=torch.long, device=quads.device)
    new_run[1:] = (iou <= iou_thr).long()
    run_id = torch.cumsum(new_run, 0) - 1
    num_runs = int(run_id[-1]) + 1
    score_sum = scores.new_zeros(num_runs).index_add_(0, run_id, scores)
    weighted = quads.new_zeros(num_runs, 8).index_add_(
        0, run_id, quads * scores[:, None])
    return weighted / score_sum[:, None], score_sum


def locality_aware_nms(quads: Tensor, scores: Tensor,
                       iou_thr: float = 0.2) -> Tuple[Tensor, Tensor]:
    """EAST's locality-aware NMS: :func:`merge_consecutive`, then standard
    NMS on the merged quadrilaterals (``mmcv.ops.nms_quadri``) with the
    same IoU threshold, as the authors' ``lanms`` does.

    Args:
        quads (Tensor): ``(N, 8)`` vertices, in row-major pixel order.
        scores (Tensor): ``(N,)`` positive scores.
        iou_thr (float): IoU threshold of the merge and of the NMS.
            Defaults to 0.2 (the authors' test setting).

    Returns:
        tuple[Tensor, Tensor]: Kept ``(K, 8)`` quadrilaterals and their
        ``(K,)`` merged scores, by decreasing score.
    """
    if quads.shape[0] == 0:
        return quads.new_zeros((0, 8)), scores.new_zeros((0, ))
    merged, merged_scores = merge_consecutive(quads, scores, iou_thr)
    dets, _ = nms_quadri(merged.float(), merged_scores.float(), iou_thr)
    order = torch.argsort(dets[:, 8], descending=True)
    dets = dets[order]
    return dets[:, :8].to(quads.dtype), dets[:, 8].to(scores.dtype)
