"""E2ESpottingMetric: the ICDAR 2015 Task 4.4 end-to-end rules (the RRC's
script.py, E2E_iou_1_1 v1.1) and the lenient named options on hand-made
cases, including regressions for the defects of MMOCR's ABCNet metric."""
import json

import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

import mmtextknow  # noqa: F401
from mmocr.registry import METRICS
from mmocr.structures import TextSpottingDataSample
from mmtextknow.evaluation.metrics.e2e_spotting_metric import (
    ICDAR_SPECIAL_CHARS, E2ESpottingMetric, in_word_spotting_dictionary,
    levenshtein, nearest_word, word_spotting_transcription)

#: Our lenient rules, as named options.
LENIENT = dict(matching='bipartite', symbol_rule='strip', case_rule='lower',
               care_rule='alnum', empty_rule='mmocr', lexicon_drop_dist=None)


def box(x, y=0, w=10, h=10):
    return np.array([x, y, x + w, y, x + w, y + h, x, y + h],
                    dtype=np.float32)


def sample(gt_polys, gt_texts, pred_polys, pred_texts, scores,
           ignored=None, img_path='img_1.jpg', as_dict=True):
    s = TextSpottingDataSample(metainfo=dict(img_path=img_path))
    gt = InstanceData()
    gt.polygons = list(gt_polys)
    gt.texts = list(gt_texts)
    gt.ignored = torch.tensor(
        ignored if ignored is not None else [False] * len(gt_texts),
        dtype=torch.bool)
    pred = InstanceData()
    pred.polygons = list(pred_polys)
    pred.texts = list(pred_texts)
    pred.scores = torch.tensor(scores, dtype=torch.float32)
    s.gt_instances = gt
    s.pred_instances = pred
    return s.to_dict() if as_dict else s


def evaluate(samples, **kwargs):
    metric = E2ESpottingMetric(**kwargs)
    metric.process({}, samples)
    res = metric.compute_metrics(metric.results)
    return res, metric


def test_registered_and_prefixed():
    metric = METRICS.build(dict(type='E2ESpottingMetric'))
    assert isinstance(metric, E2ESpottingMetric)
    assert metric.prefix == 'e2e'
    np.testing.assert_allclose(metric.score_thrs,
                               [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    metric.process({}, [sample([box(0)], ['hi!'], [box(0)], ['hi'], [0.9])])
    out = metric.evaluate(1)
    assert set(out) == {
        'e2e/precision', 'e2e/recall', 'e2e/hmean', 'e2e/score_thr',
        'e2e/det_precision', 'e2e/det_recall', 'e2e/det_hmean',
        'e2e/det_score_thr'
    }
    assert out['e2e/hmean'] == 1.0
    assert out['e2e/score_thr'] == out['e2e/det_score_thr'] == 0.5


def test_dict_thresholds_rounded():
    metric = E2ESpottingMetric(
        score_thrs=dict(start=0.3, stop=0.9, step=0.1))
    # np.arange semantics as MMOCR's HmeanIOUMetric (its float rounding
    # reaches 0.8999..., i.e. 0.9 here), values rounded to 10 decimals.
    assert metric.score_thrs.tolist() == [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    res, _ = evaluate([sample([box(0)], ['abc'], [box(0)], ['abc'], [0.6])],
                      score_thrs=[0.6])
    assert res['hmean'] == 1.0


def test_exact_match():
    res, _ = evaluate([
        sample([box(0), box(20)], ['hello', 'world'], [box(0), box(20)],
               ['hello', 'world'], [0.9, 0.95])
    ])
    assert res['precision'] == res['recall'] == res['hmean'] == 1.0
    assert res['det_hmean'] == 1.0
    assert res['score_thr'] == 0.5


def test_wrong_text_counts_for_detection_only():
    res, _ = evaluate([
        sample([box(0), box(20)], ['hello', 'world'], [box(0), box(20)],
               ['hello', 'wor1d'], [0.9, 0.9])
    ])
    assert res['precision'] == res['recall'] == 0.5
    assert res['det_precision'] == res['det_recall'] == 1.0


def test_right_text_but_low_iou_is_a_miss():
    # Boxes of width 10 shifted so that IoU = 0.4 (overlap 40 / union 100).
    gt = np.array([0, 0, 10, 0, 10, 10, 0, 10], dtype=np.float32)
    pred = np.array([0, 0, 10, 0, 10, 4, 0, 4], dtype=np.float32)
    _, metric = evaluate([sample([gt], ['hello'], [pred], ['hello'], [0.9])])
    assert metric.results[0]['iou'][0, 0] == pytest.approx(0.4)
    row = metric.per_threshold_results[0]
    assert row['hits'] == 0 and row['det_hits'] == 0
    assert row['pred_num'] == 1 and row['gt_num'] == 1


def test_ignored_gt_discards_prediction_and_is_not_counted():
    for ignored, texts in (([False, True], ['hello', 'xyz']),
                           ([False, False], ['hello', '###'])):
        res, metric = evaluate([
            sample([box(0), box(20)], texts, [box(0), box(21)],
                   ['hello', 'xyz'], [0.9, 0.9],
                   ignored=ignored)
        ])
        row = metric.per_threshold_results[0]
        assert row['gt_num'] == 1 and row['pred_num'] == 1
        assert res['precision'] == res['recall'] == 1.0
    # A prediction overlapping an ignored word by less than half its own
    # area is not discarded (a false positive).
    _, metric = evaluate([
        sample([box(0), box(20)], ['hello', '###'], [box(0), box(26)],
               ['hello', 'xyz'], [0.9, 0.9])
    ])
    row = metric.per_threshold_results[0]
    assert row['pred_num'] == 2 and row['hits'] == 1


def test_case_and_symbol_rules():
    metric = E2ESpottingMetric(symbol_rule='strip', case_rule='lower')
    assert ICDAR_SPECIAL_CHARS == '!?.:,*"()\u00b7[]/\''
    assert metric.normalize('Hello!') == 'hello'
    assert metric.normalize('"(Hello)"') == 'hello'
    assert metric.normalize('a.b') == 'a.b'  # inner symbols kept
    assert metric.normalize('-ab-') == '-ab-'  # hyphen: word spotting only
    samples = [
        sample([box(0), box(20), box(40)], ['Hello!', 'WORLD', 'a.b'],
               [box(0), box(20), box(40)], ['hello', '"world"', 'ab'],
               [0.9, 0.9, 0.9])
    ]
    res, _ = evaluate(samples, symbol_rule='strip')
    assert res['precision'] == pytest.approx(2 / 3)
    # Official: 'HELLO!' loses its last character and matches 'HELLO';
    # '"WORLD"' keeps its quotes (prediction), 'A.B' != 'AB': 1 of 3.
    res, _ = evaluate(samples)
    assert res['precision'] == res['recall'] == pytest.approx(1 / 3)
    # Case-sensitive comparison.
    res, _ = evaluate(
        [sample([box(0)], ['Hello!'], [box(0)], ['hello'], [0.9])],
        case_rule='none')
    assert res['hmean'] == 0.0
    # Exact comparison.
    res, _ = evaluate(
        [sample([box(0)], ['hello!'], [box(0)], ['hello'], [0.9])],
        symbol_rule='none')
    assert res['hmean'] == 0.0
    # Official-script default: one special char off each end of the GT
    # only; nothing stripped from the prediction.
    icdar = E2ESpottingMetric(symbol_rule='icdar')
    assert icdar.texts_match('hello!', 'hello')
    assert icdar.texts_match('(hello)', 'hello')
    assert icdar.texts_match('(hello)', '(hello')
    assert not icdar.texts_match('hello!!', 'hello')
    assert not icdar.texts_match('hello', 'hello!')


def test_fresh_selection_per_threshold():
    """Defect-1 regression: a low-score prediction between two high ones;
    every threshold is selected afresh and texts stay aligned."""
    gts = [box(0), box(20), box(40), box(60)]
    gt_texts = ['alpha', 'beta', 'gamma', 'delta']
    preds = [box(0), box(20), box(40), box(60)]
    pred_texts = ['alpha', 'beta', 'gamma', 'dleta']
    scores = [0.9, 0.35, 0.8, 0.55]
    res, metric = evaluate(
        [sample(gts, gt_texts, preds, pred_texts, scores)],
        score_thrs=[0.3, 0.4, 0.6, 0.85, 0.95])
    rows = {r['score_thr']: r for r in metric.per_threshold_results}
    # the fixed threshold 0.5 joins the table
    assert sorted(rows) == [0.3, 0.4, 0.5, 0.6, 0.85, 0.95]
    assert [(rows[t]['pred_num'], rows[t]['hits'], rows[t]['det_hits'])
            for t in (0.3, 0.4, 0.5, 0.6, 0.85, 0.95)] == [
                (4, 3, 4), (3, 2, 3), (3, 2, 3), (2, 2, 2), (1, 1, 1),
                (0, 0, 0)]
    assert rows[0.4]['precision'] == pytest.approx(2 / 3)
    assert rows[0.4]['recall'] == pytest.approx(2 / 4)
    assert rows[0.6]['precision'] == 1.0 and rows[0.6]['recall'] == 0.5
    assert rows[0.95]['precision'] == 0.0 and rows[0.95]['hmean'] == 0.0
    # Reported at the fixed 0.5: 0.9, 0.8 and 0.55 kept, 'dleta' misread:
    # P = 2 / 3, R = 2 / 4, detection P = 3 / 3, R = 3 / 4.
    assert res['score_thr'] == res['det_score_thr'] == 0.5
    assert res['precision'] == pytest.approx(2 / 3)
    assert res['recall'] == pytest.approx(0.5)
    assert res['det_precision'] == 1.0
    assert res['det_recall'] == pytest.approx(0.75)
    # Chosen on this split: e2e at 0.3 (P = R = 3 / 4), detection at 0.3
    # (1.0).
    res, _ = evaluate(
        [sample(gts, gt_texts, preds, pred_texts, scores)],
        score_thrs=[0.3, 0.4, 0.6, 0.85, 0.95], select_score_thr=True)
    assert res['score_thr'] == pytest.approx(0.3)
    assert res['hmean'] == pytest.approx(0.75)
    assert res['det_hmean'] == 1.0
    assert res['det_score_thr'] == pytest.approx(0.3)


def test_best_thresholds_differ():
    # A right-text low-score prediction, a wrong-text high-score one and
    # three low-score false positives: e2e is best at the low threshold,
    # detection at the high one.
    gts = [box(0), box(20)]
    preds = [box(0), box(20), box(40), box(60), box(80)]
    samples = [
        sample(gts, ['abc', 'xyz'], preds, ['abc', 'xyq', 'z', 'z', 'z'],
               [0.4, 0.9, 0.35, 0.35, 0.35])
    ]
    res, _ = evaluate(samples, score_thrs=[0.3, 0.5], select_score_thr=True)
    # thr 0.3: e2e P 1/5, R 1/2; det P 2/5, R 1.
    # thr 0.5: e2e 0; det P 1, R 1/2.
    assert res['score_thr'] == pytest.approx(0.3)
    assert res['precision'] == pytest.approx(0.2)
    assert res['recall'] == pytest.approx(0.5)
    assert res['hmean'] == pytest.approx(2 * 0.2 * 0.5 / 0.7)
    assert res['det_score_thr'] == pytest.approx(0.5)
    assert res['det_precision'] == 1.0 and res['det_recall'] == 0.5
    assert res['det_hmean'] == pytest.approx(2 / 3)
    # The default: both at the fixed 0.5, whatever the table holds.
    res, _ = evaluate(samples, score_thrs=[0.3, 0.5])
    assert res['score_thr'] == res['det_score_thr'] == 0.5
    assert res['hmean'] == 0.0
    assert res['det_hmean'] == pytest.approx(2 / 3)
    res, _ = evaluate(samples, score_thr=0.3)
    assert res['hmean'] == pytest.approx(2 * 0.2 * 0.5 / 0.7)
    assert res['det_hmean'] == pytest.approx(2 * 0.4 / 1.4)


def test_text_used_in_matching():
    """The wrong-text prediction comes first (IoU 1.0), the right-text one
    second (IoU 0.7). Bipartite: e2e matches the right-text one (1 hit of
    2 predictions). Official greedy pairing: the GT pairs with the first
    prediction of IoU > 0.5, the wrong one: no e2e hit, 1 detection hit."""
    gt = box(0, w=10)
    wrong = box(0, w=10)  # IoU 1.0
    right = box(0, w=7)  # IoU 0.7
    samples = [sample([gt], ['hello'], [wrong, right], ['hallo', 'hello'],
                      [0.9, 0.8])]
    res, metric = evaluate(samples, score_thrs=[0.5], matching='bipartite')
    row = metric.per_threshold_results[0]
    assert row['hits'] == 1 and row['det_hits'] == 1 and row['pred_num'] == 2
    assert res['recall'] == 1.0 and res['precision'] == 0.5
    res, metric = evaluate(samples, score_thrs=[0.5])
    row = metric.per_threshold_results[0]
    assert row['hits'] == 0 and row['det_hits'] == 1 and row['pred_num'] == 2
    assert res['hmean'] == 0.0
    assert res['det_recall'] == 1.0 and res['det_precision'] == 0.5


def test_maximum_matching_and_greedy_pairing():
    # Pred 0 matches both GTs, pred 1 only GT 0: the official greedy
    # pairing (GT 0 -> pred 0, then GT 1 finds no free prediction) gets 1
    # hit (P = R = 1 / 2); maximum matching gets 2.
    gts = [box(0, w=10), box(6, w=10)]
    preds = [box(3, w=10), box(0, w=10)]
    samples = [sample(gts, ['abc', 'abc'], preds, ['abc', 'abc'],
                      [0.9, 0.9])]
    _, metric = evaluate(samples, matching='bipartite')
    iou = metric.results[0]['iou']
    assert (iou > 0.5).tolist() == [[True, True], [True, False]]
    assert metric.per_threshold_results[0]['hits'] == 2
    res, metric = evaluate(samples)
    row = metric.per_threshold_results[0]
    assert row['hits'] == 1 and row['det_hits'] == 1
    assert res['precision'] == res['recall'] == 0.5
    with pytest.raises(ValueError, match='matching'):
        E2ESpottingMetric(matching='hungarian')


def test_generic_lexicon(tmp_path):
    lex = tmp_path / 'generic.txt'
    lex.write_text('WORLD\nHELLO\n\nhelp\n')
    gts = [box(0), box(20)]
    samples = [
        sample(gts, ['hello', 'world'], gts, ['he1lo', 'wrld'], [0.9, 0.9])
    ]
    res, _ = evaluate(samples)
    assert res['hmean'] == 0.0
    res, _ = evaluate(samples, lexicon_mode='generic', lexicon_path=str(lex))
    assert res['hmean'] == 1.0  # both at distance 1
    # Weak lexicon: same file format.
    res, _ = evaluate(samples, lexicon_mode='weak', lexicon_path=str(lex))
    assert res['hmean'] == 1.0
    # Distance cap: 'wrld' -> 'world' is 1 / 5 = 0.2 > 0.1, kept as is.
    res, metric = evaluate(
        samples,
        lexicon_mode='generic',
        lexicon_path=str(lex),
        lexicon_max_dist_ratio=0.1)
    assert metric.results[0]['pred_texts'] == ['HE1LO', 'WRLD']
    res, metric = evaluate(
        samples,
        lexicon_mode='generic',
        lexicon_path=str(lex),
        lexicon_max_dist_ratio=0.2)
    assert metric.results[0]['pred_texts'] == ['HELLO', 'WORLD']


def test_strong_lexicon(tmp_path):
    (tmp_path / 'voc_img_1.txt').write_text('HELLO\nCAFE\n')
    (tmp_path / 'voc_img_2.txt').write_text('HELP\nCAFE\n')
    gts = [box(0)]
    samples = [
        sample(gts, ['hello'], gts, ['he1lo'], [0.9], img_path='a/img_1.jpg'),
        sample(gts, ['hello'], gts, ['he1lo'], [0.9], img_path='b/img_2.jpg'),
    ]
    # 'he1lo' -> 'HELLO' at distance 1 (kept); -> 'HELP' at distance 2 >=
    # 1.5: dropped (strong lexicon), so image 2 has no prediction: 1 hit,
    # P = 1 / 1, R = 1 / 2.
    res, metric = evaluate(
        samples, lexicon_mode='strong', lexicon_path=str(tmp_path))
    assert [r['pred_texts'] for r in metric.results] == [['HELLO'], []]
    assert res['recall'] == 0.5 and res['precision'] == 1.0
    # Always replaced: 'HELP' is a false positive, P = R = 1 / 2.
    res, metric = evaluate(
        samples, lexicon_mode='strong', lexicon_path=str(tmp_path),
        lexicon_drop_dist=None)
    assert [r['pred_texts'] for r in metric.results] == [['HELLO'], ['HELP']]
    assert res['recall'] == 0.5 and res['precision'] == 0.5
    # Custom pattern and a missing per-image file.
    (tmp_path / 'img_1_lex.txt').write_text('HELLO\n')
    res, _ = evaluate(
        samples[:1],
        lexicon_mode='strong',
        lexicon_path=str(tmp_path),
        strong_lexicon_pattern='{stem}_lex.txt')
    assert res['hmean'] == 1.0
    metric = E2ESpottingMetric(
        lexicon_mode='strong', lexicon_path=str(tmp_path),
        strong_lexicon_pattern='{stem}_lex.txt')
    with pytest.raises(FileNotFoundError, match='img_2_lex.txt'):
        metric.process({}, samples[1:])


def test_lexicon_errors(tmp_path):
    missing = str(tmp_path / 'nope.txt')
    with pytest.raises(FileNotFoundError, match='nope.txt'):
        E2ESpottingMetric(lexicon_mode='generic', lexicon_path=missing)
    with pytest.raises(FileNotFoundError, match='nope_dir'):
        E2ESpottingMetric(
            lexicon_mode='strong', lexicon_path=str(tmp_path / 'nope_dir'))
    with pytest.raises(ValueError, match='lexicon_path'):
        E2ESpottingMetric(lexicon_mode='weak')
    with pytest.raises(ValueError, match='lexicon_mode'):
        E2ESpottingMetric(lexicon_path=str(tmp_path))
    with pytest.raises(ValueError):
        E2ESpottingMetric(lexicon_mode='full', lexicon_path=missing)


def test_levenshtein_helpers():
    assert levenshtein('kitten', 'sitting') == 3
    assert levenshtein('', 'abc') == 3
    assert nearest_word('he1lo', ['help', 'hello']) == ('hello', 1)
    assert nearest_word('abc', ['abd', 'abe']) == ('abd', 1)  # tie: first


def test_word_spotting_lenient_rules():
    metric = E2ESpottingMetric(word_spotting=True, symbol_rule='strip',
                               case_rule='lower', care_rule='alnum')
    assert not metric.is_care_word('ab')
    assert not metric.is_care_word('a-b')
    assert not metric.is_care_word('a.b')
    assert metric.is_care_word('abc') and metric.is_care_word('ab1')
    assert metric.is_care_word('"Hello!"')
    assert metric.normalize("Bob's") == 'bob'
    assert metric.normalize('-abc-') == 'abc'
    gts = [box(0), box(20), box(40), box(60)]
    texts = ['ab', 'a-b', 'Hello!', "Bob's"]
    samples = [sample(gts, texts, gts, ['ab', 'a-b', 'hello', "BOB'S"],
                      [0.9] * 4)]
    res, metric = evaluate(samples, word_spotting=True, **LENIENT)
    row = metric.per_threshold_results[0]
    # 'ab' and 'a-b' are don't care: not counted, predictions on them
    # discarded.
    assert row['gt_num'] == 2 and row['pred_num'] == 2 and row['hits'] == 2
    assert res['hmean'] == 1.0
    # Without word spotting they all count; 'ab'/'a-b' match exactly.
    _, metric = evaluate(samples, **LENIENT)
    row = metric.per_threshold_results[0]
    assert row['gt_num'] == 4 and row['hits'] == 4


def test_filter_words_in_end_to_end_mode():
    """ICDAR-2013 protocol: short / non-alphanumeric GT words are don't care
    in end-to-end mode too."""
    gts = [box(0), box(20), box(40), box(60)]
    samples = [sample(gts, ['ab', 'a-b', 'Hello!', 'World'], gts,
                      ['ab', 'a-b', 'hello', 'word'], [0.9] * 4)]
    res, metric = evaluate(samples, filter_words=True, care_rule='alnum')
    row = metric.per_threshold_results[0]
    # 'ab' / 'a-b' ignored (predictions on them discarded), 'Hello!' read,
    # 'World' misread
    assert row['gt_num'] == 2 and row['pred_num'] == 2 and row['hits'] == 1
    assert res['det_hmean'] == 1.0 and res['hmean'] == 0.5
    # the default end-to-end mode cares for all four
    _, metric = evaluate(samples)
    assert metric.per_threshold_results[0]['gt_num'] == 4
    # word spotting can turn the filter off
    _, metric = evaluate(samples, word_spotting=True, filter_words=False,
                         care_rule='alnum')
    row = metric.per_threshold_results[0]
    assert row['gt_num'] == 4 and row['hits'] == 3


def test_empty_predictions_and_gt():
    for rule in ('icdar', 'mmocr'):
        res, metric = evaluate([sample([box(0)], ['abc'], [], [], [])],
                               empty_rule=rule)
        assert res['precision'] == 0.0 and res['recall'] == 0.0
        assert res['hmean'] == 0.0 and res['det_hmean'] == 0.0
    no_gt = [sample([], [], [box(0)], ['abc'], [0.9])]
    nothing = [sample([], [], [], [], [])]
    only_ignored = [
        sample([box(0)], ['###'], [box(0)], ['abc'], [0.9], ignored=[True])
    ]
    # compute_hmean's conventions: no GT, some predictions: recall 1,
    # precision 0; nothing at all or only an ignored word with its
    # (discarded) prediction: everything 1.
    res, _ = evaluate(no_gt, empty_rule='mmocr')
    assert res['recall'] == 1.0 and res['precision'] == 0.0
    assert res['hmean'] == 0.0
    for samples in (nothing, only_ignored):
        res, _ = evaluate(samples, empty_rule='mmocr')
        assert res['precision'] == res['recall'] == res['hmean'] == 1.0
    # The official script: recall = 0 without cared GT, precision = 0
    # without counted predictions: P = R = H = 0 in all three.
    for samples in (no_gt, nothing, only_ignored):
        res, _ = evaluate(samples)
        assert res['precision'] == res['recall'] == res['hmean'] == 0.0
        assert res['det_hmean'] == 0.0


def test_data_sample_objects_and_gpu_free():
    s = sample([box(0)], ['abc'], [box(0)], ['abc'], [0.9], as_dict=False)
    metric = E2ESpottingMetric()
    metric.process({}, [s])
    assert metric.compute_metrics(metric.results)['hmean'] == 1.0


# ----------------------------------------------------------------------
# The official ICDAR 2015 Task 4.4 rules (the defaults), by hand
# ----------------------------------------------------------------------
def test_official_upper_case_comparison():
    """The script compares ``.upper()`` texts: a final sigma and a medial
    one, or 'ß' and 'SS', match upper-cased ('ΣΟΦΌΣ', 'STRASSE') but not
    lower-cased."""
    samples = [
        sample([box(0), box(20)], ['σοφός', 'Straße'], [box(0), box(20)],
               ['σοφόσ', 'STRASSE'], [0.9, 0.9])
    ]
    res, _ = evaluate(samples)
    assert res['hmean'] == 1.0
    res, _ = evaluate(samples, case_rule='lower')
    assert res['hmean'] == 0.0


def test_official_special_characters():
    """'(Hello)' loses its first and last character ('HELLO' matches);
    '"world!"' only one at each end ('WORLD!' != 'WORLD'); nothing is
    stripped from the prediction 'abc!': 1 hit of 3, P = R = 1 / 3.
    Stripping both sides (symbol_rule='strip') matches all three."""
    samples = [
        sample([box(0), box(20), box(40)], ['(Hello)', '"world!"', 'abc'],
               [box(0), box(20), box(40)], ['hello', 'world', 'abc!'],
               [0.9] * 3)
    ]
    res, _ = evaluate(samples)
    assert res['precision'] == res['recall'] == pytest.approx(1 / 3)
    assert res['det_hmean'] == 1.0
    res, _ = evaluate(samples, symbol_rule='strip')
    assert res['hmean'] == 1.0


def test_official_word_spotting_dictionary():
    """include_in_dictionary: >= 3 Latin / Greek letters or '-', after a
    final 's, end hyphens and end special characters are removed; no
    digits, no inner special character."""
    for word in ('abc', 'a-b', "Bob's", '"Hello!"', 'café', 'Straße',
                 'Ελλάς', '-abc-'):
        assert in_word_spotting_dictionary(word), word
    for word in ('ab', 'ab1', '2017', 'a.b', '3:30', '-ab-', "ab's",
                 'a×b', 'x y'):
        assert not in_word_spotting_dictionary(word), word
    assert word_spotting_transcription("Bob's") == 'Bob'
    assert word_spotting_transcription('"Hello!"') == 'Hello'
    assert word_spotting_transcription('-a-b-') == 'a-b'


def test_official_word_spotting_scores():
    """Cared: 'abc', 'a-b', "Bob's" (-> 'BOB'), '"Hello!"' (-> 'HELLO');
    don't care: 'ab1' (digit), 'ab' (short), 'a.b' (inner '.'), the
    predictions on them discarded. The predictions are compared as they
    are (upper-cased): 'ABC', 'A-B', 'BOB' hit, 'HELLO!' misses: P = R =
    3 / 4. The lenient rules (alnum care rule, both sides stripped) care
    for 'abc', "Bob's", 'Hello', 'ab1' and hit all 4."""
    gts = [box(20 * i) for i in range(7)]
    texts = ['abc', 'a-b', "Bob's", '"Hello!"', 'ab1', 'ab', 'a.b']
    preds = ['ABC', 'a-b', 'bob', 'hello!', 'ab1', 'ab', 'a.b']
    samples = [sample(gts, texts, gts, preds, [0.9] * 7)]
    res, metric = evaluate(samples, word_spotting=True)
    row = metric.per_threshold_results[0]
    assert row['gt_num'] == 4 and row['pred_num'] == 4 and row['hits'] == 3
    assert res['precision'] == res['recall'] == pytest.approx(3 / 4)
    res, metric = evaluate(samples, word_spotting=True, **LENIENT)
    row = metric.per_threshold_results[0]
    assert row['gt_num'] == 4 and row['pred_num'] == 4 and row['hits'] == 4


def test_official_lexicon_drop(tmp_path):
    """Weak lexicon (CRLF lines) HELLO / WORLD: 'he1lo' -> HELLO at
    distance 1 (kept), 'wxrxd' -> WORLD at distance 2 >= 1.5: dropped, so
    1 hit, P = 1 / 1, R = 1 / 2. The generic lexicon keeps it (replaced by
    WORLD): P = R = 1."""
    lex = tmp_path / 'weak.txt'
    lex.write_bytes(b'HELLO\r\nWORLD\r\n')
    gts = [box(0), box(20)]
    samples = [
        sample(gts, ['hello', 'world'], gts, ['he1lo', 'wxrxd'], [0.9, 0.9])
    ]
    res, metric = evaluate(samples, lexicon_mode='weak',
                           lexicon_path=str(lex))
    assert metric.results[0]['pred_texts'] == ['HELLO']
    assert res['precision'] == 1.0 and res['recall'] == 0.5
    res, metric = evaluate(samples, lexicon_mode='generic',
                           lexicon_path=str(lex))
    assert metric.results[0]['pred_texts'] == ['HELLO', 'WORLD']
    assert res['hmean'] == 1.0


# ----------------------------------------------------------------------
# One reported score threshold: fixed, or chosen on a validation split
# ----------------------------------------------------------------------
def test_threshold_chosen_on_validation_applied_to_test(tmp_path):
    """Validation: 'abc' (0.7) and 'xyz' (0.45) read right, a false
    positive at 0.35. Thresholds 0.3: P = 2 / 3, R = 1, H = 0.8; 0.42:
    P = R = H = 1; 0.5: P = 1, R = 1 / 2, H = 2 / 3: 0.42 is chosen and
    written. The test split ('abc' read right at 0.45) scores 1 with it,
    0 with the fixed default 0.5."""
    val = [
        sample([box(0), box(20)], ['abc', 'xyz'],
               [box(0), box(20), box(40)], ['abc', 'xyz', 'qqq'],
               [0.7, 0.45, 0.35])
    ]
    out = tmp_path / 'work' / 'score_thr.json'
    res, metric = evaluate(val, score_thrs=[0.3, 0.42, 0.5],
                           select_score_thr=True, score_thr_out=str(out))
    assert res['score_thr'] == res['det_score_thr'] == pytest.approx(0.42)
    assert res['hmean'] == 1.0
    chosen = json.loads(out.read_text())
    assert chosen['score_thr'] == chosen['det_score_thr'] == 0.42
    assert chosen['num_images'] == 1 and chosen['gt_num'] == 2
    test = [sample([box(0)], ['abc'], [box(0)], ['abc'], [0.45])]
    res, metric = evaluate(test, score_thr_file=str(out))
    assert res['score_thr'] == res['det_score_thr'] == pytest.approx(0.42)
    assert res['hmean'] == res['det_hmean'] == 1.0
    assert 'validation split' in metric.score_thr_source
    res, _ = evaluate(test)
    assert res['score_thr'] == 0.5 and res['hmean'] == 0.0


def test_threshold_options_errors(tmp_path):
    with pytest.raises(ValueError, match='select_score_thr'):
        E2ESpottingMetric(score_thr_out=str(tmp_path / 'a.json'))
    with pytest.raises(ValueError, match='score_thr_file'):
        E2ESpottingMetric(select_score_thr=True,
                          score_thr_file=str(tmp_path / 'a.json'))
    with pytest.raises(FileNotFoundError, match='nope.json'):
        E2ESpottingMetric(score_thr_file=str(tmp_path / 'nope.json'))
    bad = tmp_path / 'bad.json'
    bad.write_text('{"score_thr": "high", "det_score_thr": 0.5}')
    with pytest.raises(ValueError, match='score_thr'):
        E2ESpottingMetric(score_thr_file=str(bad))
    bad.write_text('not json')
    with pytest.raises(ValueError, match='not JSON'):
        E2ESpottingMetric(score_thr_file=str(bad))


# ----------------------------------------------------------------------
# Detection: the ICDAR 2015 Task 4.1 script's rules
# ----------------------------------------------------------------------
def test_task41_detection_rules(tmp_path):
    """GT: '###' at x 0-10, 'abc' at 40, 'ab1' at 80, 'def' at 120.
    Predictions: A (x 4-14: 0.6 of its area on the '###' word: discarded),
    B (x 6-16: 0.4: kept, a false positive), C on 'abc', D on 'ab1', E on
    the top half of 'def' (IoU 50 / 100 = 0.5, not > 0.5: missed).
    Task 4.1: cared 'abc', 'ab1', 'def'; B, C, D, E counted, C and D hit:
    P = 2 / 4, R = 2 / 3, in every mode. Word spotting end to end: 'ab1'
    (digit) is don't care and D on it discarded; B, C, E kept, C hits:
    P = 1 / 3, R = 1 / 2; with a weak lexicon ABC / DEF, B ('zz', 3 edits)
    is dropped: P = 1 / 2, R = 1 / 2; the detection numbers stay."""
    half = np.array([120, 0, 130, 0, 130, 5, 120, 5], dtype=np.float32)
    samples = [
        sample([box(0), box(40), box(80), box(120)],
               ['###', 'abc', 'ab1', 'def'],
               [box(4), box(6), box(40), box(80), half],
               ['xx', 'zz', 'abc', 'zz', 'def'], [0.9] * 5)
    ]
    lex = tmp_path / 'vocabulary.txt'
    lex.write_text('ABC\nDEF\n')
    for kwargs, (e2e_p, e2e_r) in (
            (dict(word_spotting=True), (1 / 3, 1 / 2)),
            (dict(word_spotting=True, lexicon_mode='weak',
                  lexicon_path=str(lex)), (1 / 2, 1 / 2)),
            (dict(), (1 / 4, 1 / 3))):
        res, metric = evaluate(samples, **kwargs)
        row = metric.per_threshold_results[0]
        assert row['det_gt_num'] == 3 and row['det_pred_num'] == 4
        assert row['det_hits'] == 2
        assert res['det_precision'] == pytest.approx(2 / 4), kwargs
        assert res['det_recall'] == pytest.approx(2 / 3), kwargs
        assert res['precision'] == pytest.approx(e2e_p), kwargs
        assert res['recall'] == pytest.approx(e2e_r), kwargs


# ----------------------------------------------------------------------
# Coordinates: float by default, truncated like an RRC upload on request
# ----------------------------------------------------------------------
def test_coordinates_are_not_truncated():
    """GT x 0-10; the prediction x -3.3-6.7 (y 0-10): IoU 67 / 133 =
    0.504, a hit. Truncated towards zero (x -3-6, an integer submission):
    IoU 60 / 130 = 0.462, a miss."""
    pred = np.array([-3.3, 0, 6.7, 0, 6.7, 10, -3.3, 10], dtype=np.float32)
    samples = [sample([box(0)], ['abc'], [pred], ['abc'], [0.9])]
    res, metric = evaluate(samples)
    assert metric.results[0]['iou'][0, 0] == pytest.approx(67 / 133,
                                                            abs=1e-5)
    assert res['hmean'] == res['det_hmean'] == 1.0
    res, metric = evaluate(samples, coord_rule='trunc')
    assert metric.results[0]['iou'][0, 0] == pytest.approx(60 / 130)
    assert res['hmean'] == res['det_hmean'] == 0.0
    with pytest.raises(ValueError, match='coord_rule'):
        E2ESpottingMetric(coord_rule='round')


def test_spotter_output_keeps_fractional_coordinates():
    """TPNSpotter maps its boxes back to the original frame without
    rounding: (3, 6.5, 21.5, 41) seen at scale (2, 0.5) is (1.5, 13, 10.75,
    82) as floats."""
    from mmocr.structures import TextDetDataSample

    from mmtextknow.models.textspot.tpn.tpn_spotter import TPNSpotter
    s = TextDetDataSample(metainfo=dict(scale_factor=(2.0, 0.5)))
    out = TPNSpotter._pack(s, torch.tensor([[3.0, 6.5, 21.5, 41.0]]),
                           torch.tensor([0.9]), ['abc'])
    np.testing.assert_allclose(out.pred_instances.polygons[0],
                               [1.5, 13, 10.75, 13, 10.75, 82, 1.5, 82])
    assert out.pred_instances.polygons[0].dtype.kind == 'f'


# ----------------------------------------------------------------------
# Lexicon files in the ICDAR 2015 Task 4.4 layouts
# ----------------------------------------------------------------------
def test_lexicon_file_layouts(tmp_path):
    """Strong: ch4_test_vocabularies_per_image/voc_img_N.txt; weak:
    ch4_test_vocabulary.txt; generic: GenericVocabulary.txt; all UTF-8 with
    a BOM and CRLF line ends (a BOM left on the first word would make
    'HELLO' one edit away and the replaced text wrong); MJSynth's
    lowercase lexicon.txt with LF."""
    bom = b'\xef\xbb\xbf'
    strong = tmp_path / 'ch4_test_vocabularies_per_image'
    strong.mkdir()
    (strong / 'voc_img_1.txt').write_bytes(bom + b'HELLO\r\nWORLD\r\n')
    (strong / 'voc_img_2.txt').write_bytes(bom + b'CAFE\r\nHOTEL\r\n\r\n')
    weak = tmp_path / 'ch4_test_vocabulary.txt'
    weak.write_bytes(bom + b'HELLO\r\nWORLD\r\nCAFE\r\nHOTEL\r\n')
    generic = tmp_path / 'GenericVocabulary.txt'
    generic.write_bytes(bom + b'HELLO\r\nWORLD\r\nCAFE\r\nHOTEL\r\nA\r\n')
    mjsynth = tmp_path / 'lexicon.txt'
    mjsynth.write_bytes(b'hello\nworld\ncafe\nhotel\n')
    samples = [
        sample([box(0), box(20)], ['Hello', 'World'], [box(0), box(20)],
               ['hello', 'wor1d'], [0.9, 0.9], img_path='imgs/img_1.jpg'),
        sample([box(0)], ['cafe'], [box(0)], ['cafe'], [0.9],
               img_path='imgs/img_2.jpg'),
    ]
    for mode, path in (('strong', strong), ('weak', weak),
                       ('generic', generic), ('generic', mjsynth)):
        res, metric = evaluate(samples, lexicon_mode=mode,
                               lexicon_path=str(path))
        assert [r['pred_texts'] for r in metric.results] == [
            ['HELLO', 'WORLD'], ['CAFE']], (mode, path)
        assert res['hmean'] == 1.0, (mode, path)
    metric = E2ESpottingMetric(lexicon_mode='weak', lexicon_path=str(weak))
    assert metric._lexicon == ['HELLO', 'WORLD', 'CAFE', 'HOTEL']
    latin1 = tmp_path / 'latin1.txt'
    latin1.write_bytes(b'caf\xe9\r\n')
    with pytest.raises(ValueError, match='latin1.txt'):
        E2ESpottingMetric(lexicon_mode='weak', lexicon_path=str(latin1))
