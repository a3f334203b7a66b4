# Copyright (c) mmtextknow contributors. All rights reserved.
"""ICDAR 2013 text localisation: the DetEval protocol of Wolf & Jolion.

C. Wolf and J.-M. Jolion, "Object count / area graphs for the evaluation of
object detection and segmentation algorithms", IJDAR 8(4), 2006, as the
Robust Reading Competition scores ICDAR 2013 Task 2.1 ("DetEval" script of
the RRC, ``script.py`` / ``TL2p_deteval``; public copies, e.g.
``concern/icdar2015_eval/detection/deteval.py`` of DB forks), re-implemented
here on axis-aligned rectangles.
"""
import math
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.registry import METRICS

from .e2e_spotting_metric import IGNORE_TEXT, _to_numpy, read_score_thr_file


@dataclass
class DetEvalImageResult:
    """What DetEval accumulates for one image.

    Attributes:
        recall_accum (float): Sum of the recall credits of the matches.
        precision_accum (float): Sum of their precision credits.
        num_gt (int): Cared GT rectangles.
        num_det (int): Detections not discarded by a don't-care GT.
        pairs (list[tuple]): ``(type, gt indices, det indices)`` of every
            match, type ``'OO'`` (one-to-one), ``'OM'`` (one GT split into
            several detections) or ``'MO'`` (several GT merged into one
            detection).
    """
    recall_accum: float = 0.0
    precision_accum: float = 0.0
    num_gt: int = 0
    num_det: int = 0
    pairs: List[Tuple[str, List[int], List[int]]] = field(
        default_factory=list)


def _rect_areas(rects: np.ndarray, inclusive: bool) -> np.ndarray:
    one = 1.0 if inclusive else 0.0
    return (rects[:, 2] - rects[:, 0] + one) * (rects[:, 3] - rects[:, 1] +
                                                one)


def _intersections(a: np.ndarray, b: np.ndarray,
                   inclusive: bool) -> np.ndarray:
    """Pairwise intersection areas (len(a), len(b)); with ``inclusive`` the
    script's pixel rule (``min(xmax) - max(xmin) + 1``, counted if >= 0)."""
    one = 1.0 if inclusive else 0.0
    dx = (np.minimum(a[:, None, 2], b[None, :, 2]) -
          np.maximum(a[:, None, 0], b[None, :, 0]) + one)
    dy = (np.minimum(a[:, None, 3], b[None, :, 3]) -
          np.maximum(a[:, None, 1], b[None, :, 1]) + one)
    return np.where((dx >= 0) & (dy >= 0), dx * dy, 0.0)


def _scatter_matches(select: np.ndarray, summed: np.ndarray,
                     select_thr: float, sum_thr: float,
                     overlaps: np.ndarray, used: np.ndarray,
                     other_used: np.ndarray, dont_care: np.ndarray,
                     other_dont_care: np.ndarray
                     ) -> Iterator[Tuple[int, List[int]]]:
    """The script's one-to-many step, rows against columns: for every free,
    cared row ``i`` in order, the free, cared columns ``j`` with
    ``select[i, j] >= select_thr`` whose ``summed[i, j]`` add up (rounded to
    4 decimals) to ``>= sum_thr``, if row ``i`` overlaps at least 2
    columns; both sides are marked used before ``(i, js)`` is yielded.
    Many-to-one is the same on the transposed matrices."""
    for i in range(select.shape[0]):
        if dont_care[i] or used[i]:
            continue
        js = [
            j for j in range(select.shape[1]) if not other_used[j]
            and not other_dont_care[j] and select[i, j] >= select_thr
        ]
        if round(float(summed[i, js].sum()), 4) < sum_thr or \
                overlaps[i] < 2:
            continue
        used[i] = True
        other_used[js] = True
        yield i, js


def deteval_image(gt_rects: np.ndarray,
                  gt_dont_care: np.ndarray,
                  det_rects: np.ndarray,
                  area_recall_thr: float = 0.8,
                  area_precision_thr: float = 0.4,
                  center_diff_thr: float = 1.0,
                  one_to_one_weight: float = 1.0,
                  split_weight: float = 0.8,
                  merge_weight: float = 1.0,
                  pixel_inclusive: bool = True) -> DetEvalImageResult:
    """DetEval on one image, in the order of the RRC script.

    Area recall ``R[g, d] = |g & d| / |g|`` and area precision
    ``P[g, d] = |g & d| / |d|`` (with ``pixel_inclusive``, a rectangle
    ``(x1, y1, x2, y2)`` covers ``(x2 - x1 + 1) * (y2 - y1 + 1)`` pixels, as
    in the script). A detection with ``P > area_precision_thr`` against a
    don't-care GT is discarded. Then, each GT / detection taking part in
    at most one match:

    1. one-to-one, GT in order then detections in order: ``(g, d)`` with
       ``R >= area_recall_thr`` and ``P >= area_precision_thr`` where row
       ``g`` and column ``d`` have no other such entry, ``g`` overlaps (R
       > 0) no other non-discarded detection and ``d`` no other cared GT,
       and the centres are close: ``2 * distance / (diag(g) + diag(d)) <
       center_diff_thr``; credit ``one_to_one_weight`` to both sums;
    2. one-to-many (split), GT in order: the free detections with
       ``P[g, d] >= area_precision_thr`` whose recalls sum (rounded to 4
       decimals) to ``>= area_recall_thr``, if ``g`` overlaps at least 2
       non-discarded detections; with one detection credit
       ``one_to_one_weight`` to both sums, with ``k >= 2`` add
       ``split_weight`` to the recall and ``k * split_weight`` to the
       precision sum;
    3. many-to-one (merge), detections in order: the free cared GT with
       ``R[g, d] >= area_recall_thr`` whose precisions sum (rounded) to
       ``>= area_precision_thr``, if ``d`` overlaps at least 2 cared GT;
       with ``k >= 2`` GT add ``k * merge_weight`` to the recall and
       ``merge_weight`` to the precision sum.

    Args:
        gt_rects (np.ndarray): ``(G, 4)`` GT ``x1, y1, x2, y2``.
        gt_dont_care (np.ndarray): ``(G,)`` bool, don't-care GT.
        det_rects (np.ndarray): ``(D, 4)`` detections.
        area_recall_thr, area_precision_thr, center_diff_thr,
        one_to_one_weight, split_weight, merge_weight: The script's
            ``AREA_RECALL_CONSTRAINT`` (0.8), ``AREA_PRECISION_CONSTRAINT``
            (0.4), ``EV_PARAM_IND_CENTER_DIFF_THR`` (1), ``MTYPE_OO_O``
            (1.0), ``MTYPE_OM_O`` (0.8), ``MTYPE_OM_M`` (1.0).
        pixel_inclusive (bool): The script's ``+ 1`` pixel rule. Defaults
            to True.

    Returns:
        DetEvalImageResult: The sums, counts and matches.
    """
    gt_rects = np.asarray(gt_rects, dtype=np.float64).reshape(-1, 4)
    det_rects = np.asarray(det_rects, dtype=np.float64).reshape(-1, 4)
    gt_dc = np.asarray(gt_dont_care, dtype=bool).reshape(-1)
    num_g, num_d = len(gt_rects), len(det_rects)
    gt_area = _rect_areas(gt_rects, pixel_inclusive)
    det_area = _rect_areas(det_rects, pixel_inclusive)
    inter = _intersections(gt_rects, det_rects, pixel_inclusive)
    with np.errstate(divide='ignore', invalid='ignore'):
        recall = np.where(gt_area[:, None] != 0, inter / gt_area[:, None],
                          0.0)
        precision = np.where(det_area[None, :] != 0,
                             inter / det_area[None, :], 0.0)
    det_dc = np.zeros(num_d, dtype=bool)
    if gt_dc.any():
        det_dc = (precision[gt_dc] > area_precision_thr).any(axis=0)
    result = DetEvalImageResult(
        num_gt=int((~gt_dc).sum()), num_det=int((~det_dc).sum()))
    if num_d == 0 or num_g == 0:
        return result

    qualifies = (recall >= area_recall_thr) & (precision >= area_precision_thr)
    overlaps = recall > 0
    # overlaps of a GT with non-discarded detections, of a detection with
    # cared GT
    gt_overlaps = (overlaps & ~det_dc[None, :]).sum(axis=1)
    det_overlaps = (overlaps & ~gt_dc[:, None]).sum(axis=0)
    one = 1.0 if pixel_inclusive else 0.0

    def center(r):
        return (r[0] + (r[2] - r[0] + one) / 2.0,
                r[1] + (r[3] - r[1] + one) / 2.0)

    def diag(r):
        return math.hypot(r[2] - r[0] + one, r[3] - r[1] + one)

    gt_used = np.zeros(num_g, dtype=bool)
    det_used = np.zeros(num_d, dtype=bool)
    for g in range(num_g):
        for d in range(num_d):
            if gt_used[g] or det_used[d] or gt_dc[g] or det_dc[d]:
                continue
            if not (qualifies[g, d] and qualifies[g].sum() == 1
                    and qualifies[:, d].sum() == 1):
                continue
            if not (gt_overlaps[g] == 1 and det_overlaps[d] == 1):
                continue
            (gx, gy), (dx, dy) = center(gt_rects[g]), center(det_rects[d])
            norm_dist = 2.0 * math.hypot(gx - dx, gy - dy) / (
                diag(gt_rects[g]) + diag(det_rects[d]))
            if norm_dist < center_diff_thr:
                gt_used[g] = det_used[d] = True
                result.recall_accum += one_to_one_weight
                result.precision_accum += one_to_one_weight
                result.pairs.append(('OO', [g], [d]))
    # one-to-many: a GT split into several detections
    for g, dets in _scatter_matches(precision, recall, area_precision_thr,
                                    area_recall_thr, gt_overlaps, gt_used,
                                    det_used, gt_dc, det_dc):
        if len(dets) == 1:
            result.recall_accum += one_to_one_weight
            result.precision_accum += one_to_one_weight
            result.pairs.append(('OO', [g], dets))
        else:
            result.recall_accum += split_weight
            result.precision_accum += split_weight * len(dets)
            result.pairs.append(('OM', [g], dets))
    # many-to-one: several GT merged into one detection
    for d, gts in _scatter_matches(recall.T, precision.T, area_recall_thr,
                                   area_precision_thr, det_overlaps,
                                   det_used, gt_used, det_dc, gt_dc):
        if len(gts) == 1:
            result.recall_accum += one_to_one_weight
            result.precision_accum += one_to_one_weight
            result.pairs.append(('OO', gts, [d]))
        else:
            result.recall_accum += merge_weight * len(gts)
            result.precision_accum += merge_weight
            result.pairs.append(('MO', gts, [d]))
    return result


def _rects(instances, trunc: bool) -> np.ndarray:
    """``(N, 4)`` axis-aligned rectangles of ``instances``: the bounding
    rectangle of each polygon, else the ``bboxes``."""
    polygons = instances.get('polygons', None)
    if polygons is not None and len(polygons):
        rects = []
        for poly in polygons:
            pts = _to_numpy(poly).astype(np.float64).reshape(-1, 2)
            rects.append([
                pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(),
                pts[:, 1].max()
            ])
        rects = np.array(rects, dtype=np.float64)
    else:
        bboxes = instances.get('bboxes', None)
        rects = np.zeros((0, 4)) if bboxes is None else _to_numpy(
            bboxes).astype(np.float64).reshape(-1, 4)
    return np.trunc(rects) if trunc else rects


@METRICS.register_module()
class DetEvalMetric(BaseMetric):
    """ICDAR 2013 detection precision / recall / hmean under DetEval (the
    RRC's Task 2.1 script), on axis-aligned rectangles.

    Each data sample needs ``gt_instances`` with ``polygons`` (or
    ``bboxes``), optionally ``ignored`` and ``texts`` (a GT is don't care if
    flagged or its text is ``'###'``; ICDAR 2013 has none), and
    ``pred_instances`` with ``polygons`` (or ``bboxes``) and ``scores``. A
    polygon is scored as its bounding rectangle (the script reads
    ``xmin, ymin, xmax, ymax``). The predictions with ``score >=
    score_thr`` (float32) take part; the matching is
    :func:`deteval_image`. Over the dataset, ``recall = sum of recall
    credits / cared GT``, ``precision = sum of precision credits /
    non-discarded detections`` (0 when the denominator is 0, as the
    script), ``hmean`` their harmonic mean.

    Args:
        area_recall_thr (float): Defaults to 0.8.
        area_precision_thr (float): Defaults to 0.4.
        center_diff_thr (float): Defaults to 1.0.
        one_to_one_weight (float): Defaults to 1.0.
        split_weight (float): Credit of a GT split into several detections
            (recall; per detection for the precision). Defaults to 0.8.
        merge_weight (float): Credit of several GT merged into one
            detection (per GT for the recall; precision). Defaults to 1.0
            (merges not penalised, the script's ``MTYPE_OM_M``).
        pixel_inclusive (bool): The script's ``+ 1`` pixel areas. Defaults
            to True.
        score_thr (float): Fixed score threshold. Defaults to 0.5.
        score_thr_file (str, optional): JSON file of an
            :class:`E2ESpottingMetric` selection on a validation split; its
            ``det_score_thr`` replaces ``score_thr``. Defaults to None.
        coord_rule (str): ``'float'`` or ``'trunc'`` (coordinates truncated
            towards zero first, as an integer submission). Defaults to
            ``'float'``.
        collect_device (str): Defaults to ``'cpu'``.
        prefix (str, optional): Defaults to ``'deteval'``.
    """

    default_prefix: Optional[str] = 'deteval'

    def __init__(self,
                 area_recall_thr: float = 0.8,
                 area_precision_thr: float = 0.4,
                 center_diff_thr: float = 1.0,
                 one_to_one_weight: float = 1.0,
                 split_weight: float = 0.8,
                 merge_weight: float = 1.0,
                 pixel_inclusive: bool = True,
                 score_thr: float = 0.5,
                 score_thr_file: Optional[str] = None,
                 coord_rule: str = 'float',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.params = dict(
            area_recall_thr=float(area_recall_thr),
            area_precision_thr=float(area_precision_thr),
            center_diff_thr=float(center_diff_thr),
            one_to_one_weight=float(one_to_one_weight),
            split_weight=float(split_weight),
            merge_weight=float(merge_weight),
            pixel_inclusive=bool(pixel_inclusive))
        if coord_rule not in ('float', 'trunc'):
            raise ValueError("coord_rule must be 'float' or 'trunc', got "
                             f'{coord_rule!r}')
        self.coord_rule = coord_rule
        self.score_thr = float(score_thr)
        self.score_thr_source = 'fixed (score_thr)'
        if score_thr_file is not None:
            self.score_thr = read_score_thr_file(
                score_thr_file)['det_score_thr']
            self.score_thr_source = ('chosen on a validation split '
                                     f'({score_thr_file})')

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Run :func:`deteval_image` on every image and keep its sums."""
        trunc = self.coord_rule == 'trunc'
        for sample in data_samples:
            gt = sample.get('gt_instances')
            pred = sample.get('pred_instances')
            gt_rects = _rects(gt, trunc)
            ignored = gt.get('ignored', None)
            ignored = (np.zeros(len(gt_rects), dtype=bool) if ignored is None
                       else _to_numpy(ignored).astype(bool).reshape(-1))
            texts = gt.get('texts', None)
            if texts is not None and len(texts) == len(gt_rects):
                ignored = ignored | np.array(
                    [str(t) == IGNORE_TEXT for t in texts], dtype=bool)
            if ignored.size != len(gt_rects):
                raise ValueError(f'{len(gt_rects)} GT boxes but '
                                 f'{ignored.size} ignored flags')
            det_rects = _rects(pred, trunc)
            scores = _to_numpy(pred.get('scores', [])).astype(
                np.float32).reshape(-1)
            if scores.size != len(det_rects):
                raise ValueError(f'{len(det_rects)} predicted boxes but '
                                 f'{scores.size} scores')
            keep = scores >= np.float32(self.score_thr)
            res = deteval_image(gt_rects, ignored, det_rects[keep],
                                **self.params)
            counts = {'OO': 0, 'OM': 0, 'MO': 0}
            for kind, _, _ in res.pairs:
                counts[kind] += 1
            self.results.append(
                dict(
                    recall_accum=res.recall_accum,
                    precision_accum=res.precision_accum,
                    num_gt=res.num_gt,
                    num_det=res.num_det,
                    **counts))

    def compute_metrics(self, results: List[Dict]) -> Dict:
        """Dataset precision / recall / hmean (the script's sums)."""
        rec_sum = sum(r['recall_accum'] for r in results)
        prec_sum = sum(r['precision_accum'] for r in results)
        num_gt = sum(r['num_gt'] for r in results)
        num_det = sum(r['num_det'] for r in results)
        recall = rec_sum / num_gt if num_gt else 0.0
        precision = prec_sum / num_det if num_det else 0.0
        hmean = (0.0 if recall + precision == 0 else
                 2 * recall * precision / (recall + precision))
        logger: MMLogger = MMLogger.get_current_instance()
        logger.info(
            f'DetEval at score threshold {self.score_thr:g} '
            f'({self.score_thr_source}): {num_gt} GT, {num_det} detections, '
            f"matches one-to-one {sum(r['OO'] for r in results)}, split "
            f"{sum(r['OM'] for r in results)}, merge "
            f"{sum(r['MO'] for r in results)}")
        return dict(
            precision=precision,
            recall=recall,
            hmean=hmean,
            score_thr=self.score_thr)
