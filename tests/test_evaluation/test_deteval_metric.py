"""DetEvalMetric: ICDAR 2013 DetEval (Wolf & Jolion; the RRC's Task 2.1
script) on hand-made rectangles, every expected number computed by hand
from the script's rules (pixel-inclusive areas: a rectangle (x1, y1, x2,
y2) covers (x2 - x1 + 1) * (y2 - y1 + 1) pixels)."""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

import mmtextknow  # noqa: F401
from mmocr.registry import METRICS
from mmocr.structures import TextSpottingDataSample
from mmtextknow.evaluation.metrics.deteval_metric import (DetEvalMetric,
                                                          deteval_image)


def poly(x1, y1, x2, y2):
    return np.array([x1, y1, x2, y1, x2, y2, x1, y2], dtype=np.float32)


def sample(gt_rects, pred_rects, scores=None, gt_texts=None):
    s = TextSpottingDataSample(metainfo=dict(img_path='img_1.jpg'))
    gt = InstanceData()
    gt.polygons = [poly(*r) for r in gt_rects]
    gt.texts = list(gt_texts or ['word'] * len(gt_rects))
    gt.ignored = torch.zeros(len(gt_rects), dtype=torch.bool)
    pred = InstanceData()
    pred.polygons = [poly(*r) for r in pred_rects]
    pred.scores = torch.tensor(
        scores if scores is not None else [0.9] * len(pred_rects),
        dtype=torch.float32)
    pred.texts = ['x'] * len(pred_rects)
    s.gt_instances = gt
    s.pred_instances = pred
    return s.to_dict()


def score(samples, **kwargs):
    metric = DetEvalMetric(**kwargs)
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)


def image(gt, det, dont_care=None, **kwargs):
    return deteval_image(
        np.array(gt, dtype=float).reshape(-1, 4),
        np.zeros(len(gt), bool) if dont_care is None else dont_care,
        np.array(det, dtype=float).reshape(-1, 4), **kwargs)


def test_registered():
    metric = METRICS.build(dict(type='DetEvalMetric'))
    assert isinstance(metric, DetEvalMetric) and metric.prefix == 'deteval'
    metric.process({}, [sample([(0, 0, 9, 9)], [(0, 0, 9, 9)])])
    out = metric.evaluate(1)
    assert out == {'deteval/precision': 1.0, 'deteval/recall': 1.0,
                   'deteval/hmean': 1.0, 'deteval/score_thr': 0.5}


def test_one_to_one():
    """GT (0, 0, 9, 9): 100 px; detection (0, 0, 19, 9): 200 px, overlap
    100: area recall 1 >= 0.8, area precision 0.5 >= 0.4, centres (5, 5)
    and (10, 5): 2 * 5 / (14.14 + 22.36) = 0.27 < 1: one-to-one, credit 1
    each (the IoU protocol would miss it: IoU 100 / 200 = 0.5, not >
    0.5)."""
    res = image([(0, 0, 9, 9)], [(0, 0, 19, 9)])
    assert res.pairs == [('OO', [0], [0])]
    assert (res.recall_accum, res.precision_accum) == (1.0, 1.0)
    # Area precision 100 / 260 = 0.385 < 0.4: no match; P = R = 0.
    res = image([(0, 0, 9, 9)], [(0, 0, 25, 9)])
    assert res.pairs == [] and res.recall_accum == 0.0
    assert (res.num_gt, res.num_det) == (1, 1)


def test_one_to_many_split_is_credited_0_8():
    """GT (0, 0, 29, 9): 300 px, split into (0, 0, 14, 9) and (15, 0, 29,
    9): 150 px each, area recall 0.5 each (no one-to-one), area precision
    1 each; recalls sum to 1 >= 0.8 and the GT overlaps 2 detections:
    recall credit 0.8, precision credit 2 x 0.8. R = 0.8 / 1, P = 1.6 / 2
    = 0.8, H = 0.8."""
    res = image([(0, 0, 29, 9)], [(0, 0, 14, 9), (15, 0, 29, 9)])
    assert res.pairs == [('OM', [0], [0, 1])]
    assert res.recall_accum == pytest.approx(0.8)
    assert res.precision_accum == pytest.approx(1.6)
    out = score([sample([(0, 0, 29, 9)], [(0, 0, 14, 9), (15, 0, 29, 9)])])
    assert out['recall'] == pytest.approx(0.8)
    assert out['precision'] == pytest.approx(0.8)
    assert out['hmean'] == pytest.approx(0.8)
    # No penalty with split_weight=1.
    out = score([sample([(0, 0, 29, 9)], [(0, 0, 14, 9), (15, 0, 29, 9)])],
                split_weight=1.0)
    assert out['hmean'] == 1.0


def test_many_to_one_merge_is_not_penalised():
    """GT (0, 0, 9, 9) and (12, 0, 21, 9), 100 px each, merged into (0, 0,
    21, 9): 220 px; area recall 1 each, area precision 100 / 220 = 0.4545
    each: two qualifying GT in the column, so no one-to-one; one-to-many
    finds one detection per GT, but each GT overlaps only 1 detection (< 2):
    discarded; many-to-one: precisions sum to 0.909 >= 0.4 and the
    detection overlaps 2 GT: recall credit 2 x 1.0, precision 1.0 (the
    script's MTYPE_OM_M = 1): R = 2 / 2, P = 1 / 1. With merge_weight 0.8:
    R = 1.6 / 2 = 0.8, P = 0.8."""
    gt, det = [(0, 0, 9, 9), (12, 0, 21, 9)], [(0, 0, 21, 9)]
    res = image(gt, det)
    assert res.pairs == [('MO', [0, 1], [0])]
    assert (res.recall_accum, res.precision_accum) == (2.0, 1.0)
    out = score([sample(gt, det)])
    assert out['recall'] == out['precision'] == 1.0
    out = score([sample(gt, det)], merge_weight=0.8)
    assert out['recall'] == pytest.approx(0.8)
    assert out['precision'] == pytest.approx(0.8)
    # A detection over two far words: precisions 100 / 1000 each, sum 0.2
    # < 0.4: no match, R = P = 0.
    out = score([sample([(0, 0, 9, 9), (40, 0, 49, 9)], [(0, 0, 99, 9)])])
    assert out['recall'] == out['precision'] == out['hmean'] == 0.0


def test_single_overlap_rule_and_order():
    """A perfect detection (0, 0, 9, 9) plus one touching the GT's last
    column, (9, 0, 18, 9): area recall 10 / 100 = 0.1 > 0, so the GT
    overlaps 2 detections and the one-to-one step refuses the perfect one;
    the one-to-many step then takes the detections of area precision >=
    0.4 (only the perfect one, recall 1 >= 0.8, GT overlaps >= 2) as a
    single match, credit 1. The touching one stays unmatched: R = 1,
    P = 1 / 2."""
    res = image([(0, 0, 9, 9)], [(0, 0, 9, 9), (9, 0, 18, 9)])
    assert res.pairs == [('OO', [0], [0])]
    out = score([sample([(0, 0, 9, 9)], [(0, 0, 9, 9), (9, 0, 18, 9)])])
    assert out['recall'] == 1.0 and out['precision'] == 0.5


def test_dont_care_rule_at_area_precision_0_4():
    """A '###' GT (0, 0, 9, 9): a detection (5, 0, 14, 9) has 50 of its 100
    pixels on it, 0.5 > 0.4: discarded (not counted; the ICDAR 2015 rule,
    > 0.5, would keep it); (7, 0, 16, 9) has 0.3: kept, a false positive. A
    cared word (50, 0, 59, 9) found exactly. R = 1 / 1, P = 1 / 2."""
    out = score([
        sample([(0, 0, 9, 9), (50, 0, 59, 9)],
               [(5, 0, 14, 9), (7, 0, 16, 9), (50, 0, 59, 9)],
               gt_texts=['###', 'word'])
    ])
    assert out['recall'] == 1.0 and out['precision'] == 0.5


def test_dataset_sums_and_score_threshold():
    """Image 1: two words found one-to-one (the second at score 0.3 is
    dropped at the fixed 0.5 but kept at 0.25); image 2: one word missed.
    At 0.5: credits R 1, P 1 over 3 GT / 1 detection: R = 1 / 3, P = 1;
    at 0.25: R = 2 / 3, P = 2 / 2, H = 0.8."""
    samples = [
        sample([(158, 128, 411, 181), (443, 128, 450, 169)],
               [(158, 128, 411, 185), (443, 120, 450, 169)], [0.9, 0.3]),
        sample([(176, 189, 456, 274)], []),
    ]
    out = score(samples)
    assert out['recall'] == pytest.approx(1 / 3) and out['precision'] == 1
    out = score(samples, score_thr=0.25)
    assert out['recall'] == pytest.approx(2 / 3)
    assert out['precision'] == 1.0 and out['hmean'] == pytest.approx(0.8)


def test_empty_sets_and_coordinates():
    """Nothing at all: P = R = H = 0 (the script's global rule). A detection
    (0, 0, 24.5, 9) over GT (0, 0, 9, 9): 255 px as floats, area precision
    100 / 255 = 0.392 < 0.4, missed; truncated to (0, 0, 24, 9): 250 px,
    0.4, found."""
    out = score([sample([], [])])
    assert out['precision'] == out['recall'] == out['hmean'] == 0.0
    samples = [sample([(0, 0, 9, 9)], [(0, 0, 24.5, 9)])]
    assert score(samples)['hmean'] == 0.0
    assert score(samples, coord_rule='trunc')['hmean'] == 1.0
    with pytest.raises(ValueError, match='coord_rule'):
        DetEvalMetric(coord_rule='round')


def test_score_thr_file(tmp_path):
    path = tmp_path / 'score_thr.json'
    path.write_text('{"score_thr": 0.6, "det_score_thr": 0.25}')
    assert DetEvalMetric(score_thr_file=str(path)).score_thr == 0.25
