"""CharSetMetric: character-set P/R/F1 of STKM and its multi-label
ablation, and the toy multi-label config trained and scored end to end."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData

import mmtextknow  # noqa: F401
from mmocr.registry import DATASETS, METRICS, MODELS, TRANSFORMS
from mmtextknow.evaluation import CharSetMetric
from mmtextknow.structures import TextSequenceDataSample

REPO_ROOT = Path(__file__).resolve().parents[2]
STKM_DIR = REPO_ROOT / 'configs' / 'pretrain' / 'stkm'


def sample(gt, words=None, chars=None, as_dict=False):
    s = TextSequenceDataSample()
    s.gt_sequence = LabelData(words=list(gt))
    pred = LabelData(words=list(words or []))
    if chars is not None:
        pred.chars = list(chars)
    s.pred_sequence = pred
    return s.to_dict() if as_dict else s


def evaluate(samples, **kwargs):
    metric = CharSetMetric(**kwargs)
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)


def test_registered_with_prefix():
    metric = METRICS.build(dict(type='CharSetMetric'))
    assert isinstance(metric, CharSetMetric) and metric.prefix == 'charset'
    metric.process({}, [sample(['ab'], chars=['a', 'b'])])
    assert set(metric.evaluate(1)) == {
        'charset/precision', 'charset/recall', 'charset/hmean',
        'charset/exact'
    }


def test_chars_micro_averaged():
    res = evaluate([
        # gt {a, b, c}; pred {a, b, x}: 2 TP, 3 pred, 3 gt
        sample(['abc', 'ca'], chars=['a', 'b', 'x']),
        # gt {d}; pred {d}: exact
        sample(['dd'], chars=['d'], as_dict=True),
    ])
    assert res['precision'] == pytest.approx(3 / 4)
    assert res['recall'] == pytest.approx(3 / 4)
    assert res['hmean'] == pytest.approx(3 / 4)
    assert res['exact'] == pytest.approx(1 / 2)


def test_words_only_predictions_and_chars_win():
    # no chars: the characters of the predicted words (the full STKM)
    res = evaluate([sample(['hello'], words=['hole', 'z'])])
    # pred {h, o, l, e, z}, gt {h, e, l, o}
    assert res['precision'] == pytest.approx(4 / 5)
    assert res['recall'] == 1.
    assert res['hmean'] == pytest.approx(2 * 0.8 / 1.8)
    assert res['exact'] == 0.
    # the multi-label model: words=[] and chars -> chars are used
    res = evaluate([sample(['hello'], words=[], chars=list('helo'))])
    assert res == dict(precision=1., recall=1., hmean=1., exact=1.)
    # the same samples as dicts (what the loops give the metric)
    res = evaluate([sample(['hello'], words=['hole', 'z'], as_dict=True)])
    assert res['precision'] == pytest.approx(4 / 5)


def test_empty_gt_and_empty_predictions():
    # nothing anywhere: nothing missed or wrong
    res = evaluate([sample([], chars=[]), sample([], words=[])])
    assert res == dict(precision=1., recall=1., hmean=1., exact=1.)
    # a prediction on an image without text: false positives only
    res = evaluate([sample([], chars=['a']), sample([], words=[])])
    assert res['precision'] == 0. and res['recall'] == 0.
    assert res['hmean'] == 0. and res['exact'] == pytest.approx(0.5)
    # text missed entirely
    res = evaluate([sample(['ab'], chars=[])])
    assert res['precision'] == 0. and res['recall'] == 0.
    assert res['hmean'] == 0. and res['exact'] == 0.
    # no image
    assert evaluate([])['exact'] == 0.


def test_ignore_case():
    samples = [sample(['Cafe'], words=['cAFE'])]
    res = evaluate(samples)
    # case-sensitive: pred {c, A, F, E}, gt {C, a, f, e}: nothing shared
    assert res['precision'] == 0. and res['exact'] == 0.
    res = evaluate(samples, ignore_case=True)
    assert res == dict(precision=1., recall=1., hmean=1., exact=1.)
    res = evaluate([sample(['Ab'], chars=['a', 'B'])], ignore_case=True)
    assert res['exact'] == 1.


def test_bad_samples():
    metric = CharSetMetric()
    s = TextSequenceDataSample()
    s.gt_sequence = LabelData(words=['a'])
    with pytest.raises(KeyError):
        metric.process({}, [s])
    s.pred_sequence = LabelData(words='a')
    with pytest.raises(TypeError):
        metric.process({}, [s])


def test_stkm_configs_evaluate_both_metrics():
    for name in ('stkm_resnet18_fpn_toy.py',
                 'stkm_resnet50_fpn_10e_synthtext.py'):
        cfg = Config.fromfile(str(STKM_DIR / name))
        for key in ('val_evaluator', 'test_evaluator'):
            types = [m['type'] for m in cfg[key]]
            assert types == ['TextSequenceMetric', 'CharSetMetric']
    for name in ('stkm-multilabel_resnet18_fpn_toy.py',
                 'stkm-multilabel_resnet50_fpn_10e_synthtext.py'):
        cfg = Config.fromfile(str(STKM_DIR / name))
        assert cfg.val_evaluator == dict(type='CharSetMetric')
        assert cfg.test_evaluator == dict(type='CharSetMetric')
        assert cfg.model.type == 'STKMMultiLabel'
        assert 'decoder' not in cfg.model and 'loss' not in cfg.model
        base = Config.fromfile(
            str(STKM_DIR / name.replace('stkm-multilabel', 'stkm')))
        for key in ('backbone', 'neck', 'fusion', 'position', 'dictionary',
                    'data_preprocessor'):
            assert cfg.model[key] == base.model[key], key
        assert (cfg.train_dataloader.dataset.pipeline ==
                base.train_dataloader.dataset.pipeline)


def test_toy_multilabel_config_trains_predicts_and_scores(tiny_toy_data):
    init_default_scope('mmocr')
    torch.manual_seed(0)
    cfg = Config.fromfile(str(STKM_DIR /
                              'stkm-multilabel_resnet18_fpn_toy.py'))
    model = MODELS.build(cfg.model)
    dataset_cfg = cfg.test_dataloader.dataset
    pipeline = [TRANSFORMS.build(step) for step in dataset_cfg.pipeline]
    dataset = dict(
        dataset_cfg, data_root=str(tiny_toy_data), pipeline=pipeline)
    dataset = DATASETS.build(dataset)
    items = [dataset[i] for i in range(len(dataset))]
    assert len(items) == 2
    data = model.data_preprocessor(
        dict(inputs=[it['inputs'] for it in items],
             data_samples=[it['data_samples'] for it in items]), True)
    model.train()
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_bce'}
    assert torch.isfinite(losses['loss_bce'])
    losses['loss_bce'].backward()
    assert model.backbone.conv1.weight.grad is not None
    model.eval()
    with torch.no_grad():
        preds = model(**data, mode='predict')
    for pred in preds:
        assert pred.pred_sequence.words == []
        assert isinstance(pred.pred_sequence.chars, list)
        assert pred.gt_sequence.words  # the toy images have words
    metric = METRICS.build(cfg.val_evaluator)
    metric.process({}, [p.to_dict() for p in preds])
    res = metric.evaluate(len(preds))
    assert set(res) == {
        'charset/precision', 'charset/recall', 'charset/hmean',
        'charset/exact'
    }
    assert all(0. <= v <= 1. for v in res.values())
    # an oracle reading the ground truth's characters is exact
    for pred in preds:
        pred.pred_sequence.chars = sorted(
            {c for w in pred.gt_sequence.words for c in w})
    metric.process({}, preds)
    assert metric.evaluate(len(preds))['charset/exact'] == 1.
