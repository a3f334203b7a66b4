"""TPNSpotter: losses, the curriculum lock, predictions in original-image
coordinates, and every spotting config's loss + predict."""
import copy
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS, MODELS
from mmocr.structures import TextSpottingDataSample

import mmtextknow  # noqa: F401
from mmtextknow.engine import TPNCurriculumHook
from mmtextknow.evaluation import E2ESpottingMetric

REPO_ROOT = Path(__file__).resolve().parents[3]
TPN_DIR = REPO_ROOT / 'configs' / 'textspot' / 'tpn'
TOY = TPN_DIR / 'tpn_vgg16-x0.25_12e_toy.py'


def _cfg(path: Path = TOY) -> Config:
    init_default_scope('mmocr')
    return Config.fromfile(str(path))


def _batch(cfg: Config, root: Path, split: str, num: int = 2) -> dict:
    dataset_cfg = copy.deepcopy(cfg[f'{split}_dataloader'].dataset)
    dataset_cfg.update(
        type='CheckedOCRDataset', data_root=str(root),
        ann_file=f'textdet_{split}.json')
    for step in dataset_cfg.pipeline:
        if step.type == 'Resize':  # seconds, not minutes, on a CPU
            step.scale = (256, 128)
    dataset = DATASETS.build(dataset_cfg)
    return pseudo_collate([dataset[i] for i in range(num)])


def _model(cfg: Config):
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def _loss(model, batch):
    model.train()
    data = model.data_preprocessor(copy.deepcopy(batch), True)
    return model(**data, mode='loss')


def _predict(model, batch):
    model.eval()
    with torch.no_grad():
        data = model.data_preprocessor(copy.deepcopy(batch), False)
        return model(**data, mode='predict')


def test_toy_losses_and_curriculum_lock(tiny_toy_data):
    cfg = _cfg()
    model = _model(cfg)
    batch = _batch(cfg, tiny_toy_data, 'train')
    losses = _loss(model, batch)
    assert set(losses) == {
        'loss_tpn_cls', 'loss_tpn_bbox', 'loss_tdn_cls', 'loss_tdn_bbox',
        'loss_trn'
    }
    total, _ = model.parse_losses(losses)
    assert torch.isfinite(total)
    total.backward()
    assert model.trn.classifier.weight.grad.abs().sum() > 0
    assert model.tdn.parameters().__next__().grad is not None

    model.zero_grad()
    model.trn_locked = True
    losses = _loss(model, batch)
    assert 'loss_trn' not in losses
    model.parse_losses(losses)[0].backward()
    assert model.trn.classifier.weight.grad is None


def test_curriculum_hook_follows_the_iteration():
    class Runner:
        def __init__(self, model, iteration):
            self.model, self.iter, self.epoch = model, iteration, 0

    model = torch.nn.Module()
    model.trn_locked = False
    hook = TPNCurriculumHook(unlock_iter=30)
    hook.before_train_iter(Runner(model, 0), 0)
    assert model.trn_locked
    hook.before_train_iter(Runner(model, 29), 0)
    assert model.trn_locked
    hook.before_train_iter(Runner(model, 30), 0)
    assert not model.trn_locked
    with pytest.raises(ValueError, match='unlock_iter'):
        TPNCurriculumHook(unlock_iter=-1)


def test_toy_predictions_in_original_coordinates(tiny_toy_data):
    cfg = _cfg()
    model = _model(cfg)
    model.test_cfg['score_thr'] = 0.0  # random weights: keep everything
    batch = _batch(cfg, tiny_toy_data, 'test')
    results = _predict(model, batch)
    assert len(results) == 2
    for result, sample in zip(results, batch['data_samples']):
        assert isinstance(result, TextSpottingDataSample)
        pred = result.pred_instances
        assert 0 < len(pred.bboxes) <= model.test_cfg['max_per_img']
        assert len(pred.polygons) == len(pred.texts) == len(pred.scores)
        assert all(isinstance(t, str) for t in pred.texts)
        # 128x128 images resized to 128 high: scale 1; boxes inside them.
        h, w = sample.ori_shape
        assert pred.bboxes[:, 2].max() <= w + 1e-3
        assert pred.bboxes[:, 3].max() <= h + 1e-3
        assert pred.polygons[0].shape == (8, )
    metric = E2ESpottingMetric()
    metric.process({}, [r.to_dict() for r in results])
    scores = metric.compute_metrics(metric.results)
    assert {'hmean', 'det_hmean'} <= set(scores)


def test_trn_reads_the_positive_regions(tiny_toy_data):
    """trn_regions='positives': the TRN reads the TDN pass's encoding of the
    positive regions (no second encoding), equal to encoding them anew."""
    from mmdet.structures.bbox import bbox2roi
    cfg = _cfg()
    cfg.model.trn_regions = 'positives'
    model = _model(cfg)
    batch = _batch(cfg, tiny_toy_data, 'train')
    seen, calls = {}, []
    forward_train = model.trn.forward_train
    encode_regions = model.encode_regions
    sample_regions = model._sample_regions

    def record_forward(sequence, lengths, targets):
        seen.update(sequence=sequence, lengths=lengths, targets=targets)
        return forward_train(sequence, lengths, targets)

    def record_encode(feat, rois):
        calls.append(len(rois))
        seen['feat'] = feat
        return encode_regions(feat, rois)

    def record_sample(props, det):
        res = sample_regions(props, det)
        seen.setdefault('sampled', []).append(res)
        return res

    model.trn.forward_train = record_forward
    model.encode_regions = record_encode
    model._sample_regions = record_sample
    losses = _loss(model, batch)
    assert torch.isfinite(losses['loss_trn']) and losses['loss_trn'] > 0
    assert len(calls) == 1  # the TDN's pass only
    model.eval()
    with torch.no_grad():
        pos = bbox2roi([res.pos_priors for res in seen['sampled']])
        expected, lengths, _ = encode_regions(seen['feat'], pos)
    assert torch.equal(seen['lengths'], lengths)
    for row, length in enumerate(lengths.tolist()):
        torch.testing.assert_close(seen['sequence'][row, :length],
                                   expected[row, :length])
    assert len(seen['targets']) == sum(
        len(res.pos_inds) for res in seen['sampled'])
    # reading the ground-truth boxes needs a second encoding
    cfg.model.trn_regions = 'gt'
    calls.clear()
    model = _model(cfg)
    model.encode_regions = record_encode
    _loss(model, batch)
    assert len(calls) == 2
    with pytest.raises(ValueError, match='trn_regions'):
        cfg.model.trn_regions = 'refined'
        _model(cfg)


def test_losses_without_cared_words(tiny_toy_data):
    """An image whose words are all ignored and one without words: finite
    losses, no box / recognition loss without positives."""
    cfg = _cfg()
    model = _model(cfg)
    batch = _batch(cfg, tiny_toy_data, 'train')
    batch['data_samples'][0].gt_instances.ignored[:] = True
    second = batch['data_samples'][1]
    second.gt_instances = second.gt_instances[:0]
    losses = _loss(model, batch)
    total, _ = model.parse_losses(losses)
    assert torch.isfinite(total) and total > 0
    assert float(losses['loss_tdn_bbox']) == 0.0
    assert float(losses['loss_trn']) == 0.0


def test_predict_needs_no_ground_truth(tiny_toy_data):
    """Inference on images without annotations (what MMOCR's inferencers
    pass: empty ``gt_instances``)."""
    from mmengine.structures import InstanceData
    cfg = _cfg()
    model = _model(cfg)
    model.test_cfg['score_thr'] = 0.0
    batch = _batch(cfg, tiny_toy_data, 'test', num=1)
    with_gt = _predict(model, batch)[0].pred_instances
    batch['data_samples'][0].gt_instances = InstanceData()
    without_gt = _predict(model, batch)[0].pred_instances
    assert len(without_gt) > 0
    assert torch.equal(with_gt.bboxes, without_gt.bboxes)
    assert with_gt.texts == without_gt.texts


def test_predictions_are_rescaled(tiny_toy_data):
    cfg = _cfg()
    model = _model(cfg)
    model.test_cfg['score_thr'] = 0.0
    batch = _batch(cfg, tiny_toy_data, 'test', num=1)
    boxes = _predict(model, batch)[0].pred_instances.bboxes
    sample = batch['data_samples'][0]
    sample.set_metainfo(dict(scale_factor=(2.0, 4.0)))
    halved = _predict(model, batch)[0].pred_instances.bboxes
    assert torch.allclose(halved[:, 0::2] * 2, boxes[:, 0::2], atol=1e-4)
    assert torch.allclose(halved[:, 1::2] * 4, boxes[:, 1::2], atol=1e-4)


# tpn_vgg16_20k_icdar2013-icdar2015.py: the ICDAR 2015 config's model and
# pipelines on a ConcatDataset (built by tests/test_configs.py), ~18 s more.
@pytest.mark.parametrize(
    'name', sorted(p.name for p in TPN_DIR.glob('tpn_vgg16_*.py')
                   if '-icdar2015' not in p.name))
def test_paper_configs_loss_and_predict(name, tiny_toy_data):
    """The curriculum configs' model (VGG-16, paper sizes) on one small
    generated image each."""
    cfg = _cfg(TPN_DIR / name)
    model = MODELS.build(cfg.model)
    losses = _loss(model, _batch(cfg, tiny_toy_data, 'train', num=1))
    assert torch.isfinite(model.parse_losses(losses)[0])
    results = _predict(model, _batch(cfg, tiny_toy_data, 'test', num=1))
    assert 'texts' in results[0].pred_instances
