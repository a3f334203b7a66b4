"""Ground truth and TPN predictions in the same (original-image) frame.

Every spotting config's real test pipeline runs on images of several sizes
(resize scale below and above 1, non-square, one case with different x / y
scales); a prediction built the way ``TPNSpotter.predict`` builds it (boxes
in the resized image, mapped back by ``TPNSpotter._pack``) is scored by the
config's own metric and drawn by ``TextSpottingLocalVisualizer``. Expected
numbers are computed by hand in the docstrings."""
import copy
import uuid
from pathlib import Path
from typing import List, Tuple

import mmcv
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS, METRICS

import mmtextknow  # noqa: F401
from mmtextknow.datasets.ocr_json import dump_ocr_json, textdet_instance
from mmtextknow.models.textspot.tpn.tpn_spotter import TPNSpotter

REPO_ROOT = Path(__file__).resolve().parents[3]
TPN_DIR = REPO_ROOT / 'configs' / 'textspot' / 'tpn'
SPOTTING_CONFIGS = sorted(
    p.name for p in TPN_DIR.glob('*.py') if not p.name.startswith('_'))

#: (width, height) of the test images. With the paper configs' Resize
#: (scale (1200, 600), keep_ratio) the scales are 600/720 = 0.833 (down),
#: 600/300 = 2 (up) and 600/60 = 10 (up); with the toy's (256, 256):
#: 256/1280 = 0.2, 256/400 = 0.64 (down) and 256/100 = 2.56 (up).
IMAGE_SIZES = ((1280, 720), (400, 300), (100, 60))
#: Word boxes as shares of the image (x1, y1, x2, y2), their transcripts;
#: the last one is a "don't care" word.
WORDS = (((0.05, 0.10, 0.25, 0.30), 'HELLO'),
         ((0.55, 0.10, 0.75, 0.30), 'world'),
         ((0.05, 0.60, 0.25, 0.80), 'tpn2017'),
         ((0.55, 0.60, 0.75, 0.80), '###'))


def _cfg(name: str) -> Config:
    init_default_scope('mmocr')
    return Config.fromfile(str(TPN_DIR / name))


def _boxes(w: int, h: int) -> np.ndarray:
    return np.array([b for b, _ in WORDS], dtype=np.float64) * [w, h, w, h]


def _poly(box) -> List[float]:
    x1, y1, x2, y2 = (float(v) for v in box)
    return [x1, y1, x2, y1, x2, y2, x1, y2]  # the order box_polygons uses


@pytest.fixture(scope='module')
def frame_data(tmp_path_factory) -> Path:
    """Three images of IMAGE_SIZES with WORDS, and their OCRDataset JSON."""
    root = tmp_path_factory.mktemp('frames')
    (root / 'imgs').mkdir()
    rng = np.random.default_rng(0)
    data_list = []
    for i, (w, h) in enumerate(IMAGE_SIZES):
        name = f'imgs/img_{i}.png'
        mmcv.imwrite(
            rng.integers(0, 255, (h, w, 3), dtype=np.uint8), str(root / name))
        instances = [
            textdet_instance(_poly(box), text, ignore=text == '###')
            for box, (_, text) in zip(_boxes(w, h), WORDS)
        ]
        data_list.append(
            dict(img_path=name, height=h, width=w, instances=instances))
    dump_ocr_json(data_list, root / 'textspotting_test.json')
    return root


def _test_dataset(cfg: Config, root: Path, pipeline=None):
    ds_cfg = copy.deepcopy(cfg.test_dataloader.dataset)
    ds_cfg.update(
        data_root=str(root), ann_file='textspotting_test.json',
        pipeline=ds_cfg.pipeline if pipeline is None else pipeline)
    return DATASETS.build(ds_cfg)


def _predict_like_tpn(dataset, shifts=None, texts=None) -> list:
    """What a TPN that finds every word (the don't-care one too) outputs:
    boxes in the resized image it sees (+ ``shifts`` as shares of the word
    width), mapped back by ``TPNSpotter._pack``."""
    results = []
    for index in range(len(dataset)):
        sample = dataset[index]['data_samples']
        info = dataset.get_data_info(index)
        ori_w, ori_h = info['width'], info['height']
        img_h, img_w = sample.img_shape
        boxes = _boxes(ori_w, ori_h)
        if shifts is not None:
            boxes = boxes + np.outer(shifts, [1, 0, 1, 0]) * (
                boxes[:, 2:3] - boxes[:, 0:1])
        seen = boxes * np.tile([img_w / ori_w, img_h / ori_h], 2)
        words = [t if t != '###' else 'xyz' for _, t in WORDS] \
            if texts is None else list(texts)
        results.append(
            TPNSpotter._pack(sample, torch.tensor(seen, dtype=torch.float32),
                             torch.full((len(WORDS), ), 0.95), words))
    return results


def _evaluators(cfg: Config) -> list:
    evaluator = cfg.test_evaluator
    return list(evaluator) if isinstance(evaluator, (list, tuple)) else [
        evaluator
    ]


def _score(cfg: Config, results, metric_type='E2ESpottingMetric') -> dict:
    metric_cfg, = [
        m for m in _evaluators(cfg) if m['type'] == metric_type
    ]
    metric = METRICS.build(copy.deepcopy(metric_cfg))
    metric.process({}, [r.to_dict() for r in results])
    return metric.compute_metrics(metric.results)


def _resize_steps(pipeline) -> Tuple[int, int]:
    types = [step['type'] for step in pipeline]
    return types.count('Resize'), types.index('Resize')


@pytest.mark.parametrize('name', SPOTTING_CONFIGS)
def test_test_pipelines_load_the_ground_truth_after_resize(name):
    """The test / val pipelines resize once and load the annotations after
    it (MMOCR's textdet / textspotting order)."""
    cfg = _cfg(name)
    for loader in ('val_dataloader', 'test_dataloader'):
        pipeline = cfg[loader].dataset.pipeline
        types = [step['type'] for step in pipeline]
        num_resize, resize_at = _resize_steps(pipeline)
        assert num_resize == 1, (name, loader, types)
        assert types.index('LoadOCRAnnotations') > resize_at, (name, types)
        assert 'scale_factor' in pipeline[-1]['meta_keys']


@pytest.mark.parametrize('name', SPOTTING_CONFIGS)
def test_perfect_prediction_scores_one_at_every_scale(name, frame_data):
    """All 9 cared words found and read, the prediction on the don't-care
    word discarded: P = R = H = 9 / 9 for detection and end to end."""
    cfg = _cfg(name)
    dataset = _test_dataset(cfg, frame_data)
    scales = []
    for index in range(len(dataset)):
        sample = dataset[index]['data_samples']
        scales.append(sample.scale_factor)
        # the ground truth as annotated, in the original frame
        info = dataset.get_data_info(index)
        np.testing.assert_allclose(
            np.stack(sample.gt_instances.polygons),
            [_poly(b) for b in _boxes(info['width'], info['height'])],
            rtol=0, atol=1e-4)
    assert min(s[0] for s in scales) < 1 < max(s[0] for s in scales)
    scores = _score(cfg, _predict_like_tpn(dataset))
    for key in ('precision', 'recall', 'hmean', 'det_precision',
                'det_recall', 'det_hmean'):
        assert scores[key] == pytest.approx(1.0), (key, scores)


def test_icdar2013_deteval_of_a_perfect_prediction(frame_data):
    """The ICDAR 2013 config's DetEval: the 9 cared words found one-to-one,
    the prediction on the don't-care word discarded (all of its area on
    it, > 0.4): P = R = H = 1 at every scale."""
    cfg = _cfg('tpn_vgg16_20k_icdar2013.py')
    scores = _score(cfg, _predict_like_tpn(_test_dataset(cfg, frame_data)),
                    'DetEvalMetric')
    for key in ('precision', 'recall', 'hmean'):
        assert scores[key] == pytest.approx(1.0), (key, scores)


@pytest.mark.parametrize('name', SPOTTING_CONFIGS)
def test_shifted_and_misread_predictions(name, frame_data):
    """Per image: word 0 shifted right by 0.4 of its width (IoU = 0.6 /
    1.4 = 0.43: missed), word 1 by 0.2 (IoU = 0.8 / 1.2 = 0.67: found, read
    right), word 2 in place but misread. Detection: 2 of 3 per image, P =
    R = H = 6 / 9; end to end: 1 of 3, P = R = H = 3 / 9."""
    cfg = _cfg(name)
    dataset = _test_dataset(cfg, frame_data)
    texts = ['HELLO', 'world', 'tpn2018', 'xyz']
    results = _predict_like_tpn(dataset, shifts=[0.4, 0.2, 0.0, 0.0],
                                texts=texts)
    scores = _score(cfg, results)
    for key in ('det_precision', 'det_recall', 'det_hmean'):
        assert scores[key] == pytest.approx(6 / 9), (key, scores)
    for key in ('precision', 'recall', 'hmean'):
        assert scores[key] == pytest.approx(3 / 9), (key, scores)


def test_non_uniform_scale(frame_data):
    """The toy test pipeline with Resize(keep_ratio=False) to 640 x 960:
    x scales 0.5 / 1.6 / 6.4, y scales 1.33 / 3.2 / 16; a perfect prediction
    still scores 1."""
    cfg = _cfg('tpn_vgg16-x0.25_12e_toy.py')
    pipeline = copy.deepcopy(cfg.test_dataloader.dataset.pipeline)
    _, resize_at = _resize_steps(pipeline)
    pipeline[resize_at] = dict(type='Resize', scale=(640, 960),
                               keep_ratio=False)
    dataset = _test_dataset(cfg, frame_data, pipeline)
    w_scale, h_scale = dataset[0]['data_samples'].scale_factor
    assert (w_scale, h_scale) == pytest.approx((0.5, 960 / 720))
    scores = _score(cfg, _predict_like_tpn(dataset))
    assert scores['hmean'] == pytest.approx(1.0)
    assert scores['det_hmean'] == pytest.approx(1.0)


def test_ground_truth_loaded_before_resize_is_in_another_frame(frame_data):
    """Loading the annotations before Resize (resized with the image) puts
    them in the resized frame, away from the predictions: with the toy's
    scales 0.2, 0.64 and 2.56 no prediction overlaps its word with IoU >
    0.5 (the best, word 0 at scale 0.64: x overlap [0.05, 0.16] of the
    width, y [0.1, 0.192] of the height, IoU = 0.0101 / (0.0164 + 0.04 -
    0.0101) = 0.22), so every score is 0."""
    cfg = _cfg('tpn_vgg16-x0.25_12e_toy.py')
    steps = {s['type']: s for s in cfg.test_dataloader.dataset.pipeline}
    pipeline = [steps['LoadImageFromFile'], steps['LoadOCRAnnotations'],
                steps['Resize'], steps['PackTextDetInputs']]
    scores = _score(cfg, _predict_like_tpn(
        _test_dataset(cfg, frame_data, pipeline)))
    assert scores['det_hmean'] == 0.0
    assert scores['hmean'] == 0.0


@pytest.mark.parametrize('name', ['tpn_vgg16-x0.25_12e_toy.py',
                                  'tpn_vgg16_20k_icdar2015.py'])
def test_show_dir_draws_gt_and_predictions_in_one_frame(name, frame_data,
                                                        tmp_path):
    """What ``tools/test.py --show-dir`` draws (MMOCR's VisualizationHook:
    the original image, ``TextSpottingLocalVisualizer``): with a perfect
    prediction of the same texts, the prediction row equals the ground
    truth row."""
    from mmocr.visualization import TextSpottingLocalVisualizer
    cfg = _cfg(name)
    dataset = _test_dataset(cfg, frame_data)
    results = _predict_like_tpn(dataset, texts=[t for _, t in WORDS])
    visualizer = TextSpottingLocalVisualizer(name=f'frames-{uuid.uuid4()}')
    for index, result in enumerate(results):
        img = mmcv.imread(result.img_path, channel_order='rgb')
        out = tmp_path / f'{name}_{index}.png'
        visualizer.add_datasample(
            'img', img, data_sample=result, draw_gt=True, draw_pred=True,
            out_file=str(out))
        drawn = mmcv.imread(str(out)).astype(np.int32)
        h, w = img.shape[:2]
        assert drawn.shape[:2] == (2 * h, 2 * w)
        gt_row, pred_row = drawn[:h], drawn[h:]
        assert np.abs(gt_row - pred_row).max(axis=-1).mean() < 1.0
        # the drawing does show the words: it differs from the image
        assert np.abs(gt_row[:, :w] - img[..., ::-1]).max() > 100


def test_icdar2013_threshold_from_a_validation_file(tmp_path):
    """The README's command-line options reach both ICDAR 2013 metrics:
    ``test_evaluator.0/1.score_thr_file`` replace the fixed 0.5 by the
    thresholds a validation run wrote (0.3 end to end, 0.7 detection)."""
    path = tmp_path / 'score_thr.json'
    path.write_text('{"score_thr": 0.3, "det_score_thr": 0.7, '
                    '"num_images": 5}')
    cfg = _cfg('tpn_vgg16_20k_icdar2013.py')
    cfg.merge_from_dict({
        'test_evaluator.0.score_thr_file': str(path),
        'test_evaluator.1.score_thr_file': str(path)
    })
    e2e, deteval = (METRICS.build(copy.deepcopy(m))
                    for m in _evaluators(cfg))
    assert (e2e.score_thr, e2e.det_score_thr) == (0.3, 0.7)
    assert '5 images' in e2e.score_thr_source
    assert deteval.score_thr == 0.7
