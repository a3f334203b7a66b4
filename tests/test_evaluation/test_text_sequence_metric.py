# Copyright (c) mmtextknow contributors. All rights reserved.
import pytest

from mmocr.registry import METRICS

import mmtextknow  # noqa: F401
from mmtextknow.evaluation import TextSequenceMetric
from mmtextknow.evaluation.metrics.text_sequence_metric import \
    multiset_matches


def sample(pred, gt):
    return dict(pred_sequence=dict(words=pred), gt_sequence=dict(words=gt))


def evaluate(samples, **kwargs):
    metric = TextSequenceMetric(**kwargs)
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)


def test_duplicates_multiset():
    assert multiset_matches(['a', 'a', 'b'], ['a', 'c']) == 1
    assert multiset_matches(['a', 'a'], ['a', 'a', 'a']) == 2
    res = evaluate([sample(['a', 'a', 'b'], ['a', 'b', 'c'])])
    assert res['word_precision'] == pytest.approx(2 / 3)
    assert res['word_recall'] == pytest.approx(2 / 3)
    assert res['word_hmean'] == pytest.approx(2 / 3)
    assert res['exact_accuracy'] == 0.


def test_dataset_accumulation_and_exact():
    res = evaluate([
        sample(['World', 'Hello'], ['Hello', 'World']),  # order-free exact
        sample(['x'], ['x', 'y', 'z']),
        sample(['a', 'a'], ['a']),  # duplicates matter for exact
    ])
    # matched 2 + 1 + 1 = 4, predicted 5, gt 6
    assert res['word_precision'] == pytest.approx(4 / 5)
    assert res['word_recall'] == pytest.approx(4 / 6)
    p, r = 4 / 5, 4 / 6
    assert res['word_hmean'] == pytest.approx(2 * p * r / (p + r))
    assert res['exact_accuracy'] == pytest.approx(1 / 3)
    assert res['num_images'] == 3


def test_letter_case():
    samples = [sample(['HELLO', 'world'], ['Hello', 'World'])]
    assert evaluate(samples)['word_hmean'] == 0.
    res = evaluate(samples, letter_case='lower')
    assert res['word_hmean'] == 1.
    assert res['exact_accuracy'] == 1.
    with pytest.raises(ValueError):
        TextSequenceMetric(letter_case='upper')


def test_empty_cases():
    # empty prediction: precision undefined -> 0, recall 0
    res = evaluate([sample([], ['a', 'b'])])
    assert res['word_precision'] == 0.
    assert res['word_recall'] == 0.
    assert res['word_hmean'] == 0.
    assert res['exact_accuracy'] == 0.
    # empty vs empty: exact match; no word at all -> P = R = F1 = 1
    res = evaluate([sample([], [])])
    assert res['exact_accuracy'] == 1.
    assert res['word_hmean'] == 1.
    # an empty-vs-empty image among others only adds an exact match
    res = evaluate([sample([], []), sample(['a'], ['b'])])
    assert res['exact_accuracy'] == 0.5
    assert res['word_hmean'] == 0.
    # predictions without ground truth
    res = evaluate([sample(['a'], [])])
    assert res['word_precision'] == 0. and res['word_recall'] == 0.


def test_registry_prefix_and_evaluate():
    metric = METRICS.build(dict(type='TextSequenceMetric'))
    metric.process({}, [sample(['a'], ['a'])])
    res = metric.evaluate(1)
    assert res['textseq/word_hmean'] == 1.
    assert res['textseq/exact_accuracy'] == 1.
    with pytest.raises(KeyError):
        metric.process({}, [dict(gt_sequence=dict(words=['a']))])
