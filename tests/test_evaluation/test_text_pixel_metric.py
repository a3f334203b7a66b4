"""Tests of TextPixelMetric, its per-image dump and the F1 Top-1 rate.

The hand-made set (2x5 masks), with (TP, FP, FN) per image:

- ``a``: GT 4 pixels, prediction 3, overlap 2 -> (2, 1, 2)
- ``b``: no GT text, 2 predicted pixels       -> (0, 2, 0)
- ``c``: GT 3 pixels, nothing predicted       -> (0, 0, 3)
- ``d``: no GT text, nothing predicted        -> (0, 0, 0)
- ``e``: ``has_pixel_mask`` False              -> skipped
"""
import importlib.util
import json
from pathlib import Path

import pytest
import torch
from mmengine.evaluator import Evaluator
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData

from mmtextknow.evaluation.metrics import text_pixel_metric as tpm
from mmtextknow.evaluation.metrics import (TextPixelMetric, f1_top1_rate,
                                           f1_top1_rates)
from mmtextknow.structures.textseg_data_sample import TextSegDataSample

REPO_ROOT = Path(__file__).resolve().parents[2]
Z = [0, 0, 0, 0, 0]


def mask(first_row, second_row=Z):
    return torch.tensor([[first_row, second_row]], dtype=torch.uint8)


def sample(name, gt, pred, has_gt=True, level='pixel'):
    data_sample = TextSegDataSample(metainfo={
        'img_path': f'{name}.jpg',
        f'has_{level}_mask': has_gt,
        'ori_shape': (2, 5)
    })
    setattr(data_sample, f'gt_{level}_mask', PixelData(data=gt))
    setattr(data_sample, f'pred_{level}_mask',
            PixelData(data=pred, prob=pred.float()))
    return data_sample


def hand_samples(level='pixel'):
    return [
        sample('a', mask([1, 1, 1, 1, 0]), mask([0, 0, 1, 1, 1]),
               level=level),
        sample('b', mask(Z), mask([1, 1, 0, 0, 0]), level=level),
        sample('c', mask([1, 1, 1, 0, 0]), mask(Z), level=level),
        sample('d', mask(Z), mask(Z), level=level),
        sample('e', mask(Z), mask([1] * 5), has_gt=False, level=level),
    ]


# Hand arithmetic; totals TP = 2, FP = 3, FN = 5 over 4 evaluated images.
EXPECTED = dict(
    # (a) P = 2/5, R = 2/7, F = 2PR/(P+R) = (1.6/7)/(4.8/7)
    dataset_P=2 / 5,
    dataset_R=2 / 7,
    dataset_F=1 / 3,
    # (b) P_i = 2/3, 0, 0 (undefined), 0 (undefined) -> mean 1/6;
    #     R_i = 1/2, 0 (undefined), 0, 0 (undefined) -> mean 1/8;
    #     F = 2 (1/6)(1/8) / (1/6 + 1/8) = (1/24) / (7/24)
    imagewise_P=1 / 6,
    imagewise_R=1 / 8,
    imagewise_F=1 / 7,
    fgIoU=2 / 10,
    # (c) image d (nothing anywhere) scores 1; b's R and c's P are 0:
    #     P_i = 2/3, 0, 0, 1; R_i = 1/2, 0, 0, 1; F1_i = 4/7, 0, 0, 1
    mean_image_P=(2 / 3 + 1) / 4,
    mean_image_R=(1 / 2 + 1) / 4,
    mean_image_F1=(4 / 7 + 1) / 4,
    num_images=4.)


def evaluate(metric, samples):
    metric.process(None, samples)
    return metric.compute_metrics(metric.results)


@pytest.mark.parametrize('as_dict', [False, True])
def test_three_conventions(as_dict):
    samples = hand_samples()
    if as_dict:
        samples = [s.to_dict() for s in samples]
    metric = TextPixelMetric()
    metrics = evaluate(metric, samples)
    assert metrics == pytest.approx(EXPECTED)
    assert all(isinstance(v, float) for v in metrics.values())
    # only three integers per image are kept, never a mask
    assert [r['counts'] for r in metric.results] == [[2, 1, 2], [0, 2, 0],
                                                     [0, 0, 3], [0, 0, 0],
                                                     None]


def test_skipped_count_is_logged(monkeypatch):
    messages = []
    monkeypatch.setattr(tpm, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    evaluate(TextPixelMetric(), hand_samples())
    assert len([m for m in messages if 'skipped 1 of 5' in m]) == 1


def test_polygon_target():
    metric = TextPixelMetric(target='polygon')
    assert evaluate(metric, hand_samples('polygon')) == pytest.approx(EXPECTED)
    # pixel-level evaluation of polygon-only samples: all skipped
    assert evaluate(TextPixelMetric(),
                    hand_samples('polygon'))['num_images'] == 0
    with pytest.raises(ValueError):
        TextPixelMetric(target='word')


def test_missing_flag_falls_back_to_gt_presence():
    data_sample = TextSegDataSample(metainfo=dict(img_path='x.jpg'))
    data_sample.gt_pixel_mask = PixelData(data=mask([1, 0, 0, 0, 0]))
    data_sample.pred_pixel_mask = PixelData(data=mask([1, 0, 0, 0, 0]))
    metrics = evaluate(TextPixelMetric(), [data_sample])
    assert metrics['num_images'] == 1 and metrics['dataset_F'] == 1


def test_empty_input_returns_zeros(monkeypatch):
    messages = []
    monkeypatch.setattr(tpm, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    metrics = evaluate(TextPixelMetric(), hand_samples()[-1:])
    assert set(metrics) == set(EXPECTED)
    assert all(v == 0 for v in metrics.values())
    assert any('no image' in m for m in messages)
    assert TextPixelMetric().compute_metrics([])['num_images'] == 0


def test_bad_predictions_raise():
    bad = hand_samples()[0]
    bad.pred_pixel_mask = PixelData(data=torch.zeros(1, 3, 5))
    with pytest.raises(ValueError, match='a.jpg'):
        TextPixelMetric().process(None, [bad])
    missing = hand_samples()[0]
    del missing.pred_pixel_mask
    with pytest.raises(KeyError, match='pred_pixel_mask'):
        TextPixelMetric().process(None, [missing])


def other_method_samples():
    """Method B on images a-d: F1_i = 6/7, 0, 1/2, 0."""
    return [
        sample('a', mask([1, 1, 1, 1, 0]), mask([1, 1, 1, 0, 0])),
        sample('b', mask(Z), mask([1, 0, 0, 0, 0])),
        sample('c', mask([1, 1, 1, 0, 0]), mask([1, 0, 0, 0, 0])),
        sample('d', mask(Z), mask([0, 0, 0, 0, 1])),
    ]


def test_dump_and_f1_top1_rate(tmp_path):
    path_a = tmp_path / 'a' / 'per_image.json'
    path_b = tmp_path / 'b.json'
    evaluate(TextPixelMetric(dump_per_image=str(path_a)), hand_samples())
    evaluate(TextPixelMetric(dump_per_image=str(path_b)),
             other_method_samples())
    dump_a = json.loads(path_a.read_text())
    assert dump_a['target'] == 'pixel' and dump_a['num_skipped'] == 1
    images = dump_a['images']
    assert [i['img_path'] for i in images] == ['a.jpg', 'b.jpg', 'c.jpg',
                                               'd.jpg']
    assert images[0] == pytest.approx(
        dict(img_path='a.jpg', TP=2, FP=1, FN=2, P=2 / 3, R=1 / 2, F1=4 / 7))
    assert [i['F1'] for i in images[1:]] == [0, 0, 1]
    # A: 4/7, 0, 0, 1; B: 6/7, 0, 1/2, 0 -> A wins d, B wins a and c,
    # b is a tie (counts for neither)
    assert f1_top1_rate(str(path_a), str(path_b)) == 1 / 4
    assert f1_top1_rate(dump_a, str(path_b)) == 1 / 4
    assert f1_top1_rate(str(path_b), str(path_a)) == 2 / 4
    # three methods: a copy of A ties A everywhere, so only B can win alone
    assert f1_top1_rates([dump_a, str(path_b), dump_a]) == [0, 2 / 4, 0]


def test_f1_top1_rate_needs_same_images(tmp_path):
    path_a = tmp_path / 'a.json'
    evaluate(TextPixelMetric(dump_per_image=str(path_a)), hand_samples())
    dump_c = dict(images=[dict(img_path='z.jpg', F1=1.)])
    with pytest.raises(ValueError, match='same images'):
        f1_top1_rate(str(path_a), dump_c)
    with pytest.raises(ValueError, match='at least two'):
        f1_top1_rates([str(path_a)])


def test_f1_top1_tool(tmp_path, capsys):
    path_a, path_b = tmp_path / 'a.json', tmp_path / 'b.json'
    evaluate(TextPixelMetric(dump_per_image=str(path_a)), hand_samples())
    evaluate(TextPixelMetric(dump_per_image=str(path_b)),
             other_method_samples())
    spec = importlib.util.spec_from_file_location(
        'textseg_f1_top1',
        REPO_ROOT / 'tools' / 'analysis_tools' / 'textseg_f1_top1.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    tool.main([str(path_a), str(path_b), '--names', 'A', 'B'])
    assert capsys.readouterr().out.split('\n')[:2] == [
        'A\tF1 Top-1 25.00%', 'B\tF1 Top-1 50.00%'
    ]


def test_evaluator_end_to_end():
    init_default_scope('mmocr')
    evaluator = Evaluator([dict(type='TextPixelMetric')])
    samples = hand_samples()
    evaluator.process(data_samples=samples[:2], data_batch=None)
    evaluator.process(data_samples=samples[2:], data_batch=None)
    metrics = evaluator.evaluate(len(samples))
    assert metrics == pytest.approx(
        {f'textseg/{k}': v
         for k, v in EXPECTED.items()})
