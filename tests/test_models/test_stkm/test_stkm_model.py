"""STKM: fusion, ASPM, decoder, the model's three modes and its configs."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData

import mmtextknow  # noqa: F401
from mmocr.registry import MODELS, TASK_UTILS
from mmtextknow.models.pretrain.stkm import (AdaptiveSpatialPositionMap,
                                             STKMDecoder, STKMFeatureFusion)
from mmtextknow.models.pretrain.stkm.decoder import sequence_lengths
from mmtextknow.structures import TextSequenceDataSample

CONFIG_DIR = Path(__file__).resolve().parents[3] / 'configs' / 'pretrain' \
    / 'stkm'
EOS = 3


def fpn_levels(n=2, c=8, size=32):
    return [torch.rand(n, c, size // 2**i, size // 2**i) for i in range(4)]


@pytest.mark.parametrize('out_stride,kernel_size', [(8, 3), (4, 1), (8, 1)])
def test_fusion_shapes(out_stride, kernel_size):
    fusion = STKMFeatureFusion(
        in_channels=8, out_channels=12, kernel_size=kernel_size,
        out_stride=out_stride)
    assert fusion.reduce.conv.kernel_size == (kernel_size, kernel_size)
    out = fusion(fpn_levels())
    side = 32 * 4 // out_stride
    assert out.shape == (2, 12, side, side)
    assert (out >= 0).all()  # ReLU (and max-pool of it)
    with pytest.raises(ValueError):
        STKMFeatureFusion(out_stride=16)
    with pytest.raises(ValueError):
        fusion(fpn_levels()[:3])


def test_aspm_adds_bounded_map_and_caches():
    aspm = AdaptiveSpatialPositionMap(channels=6).eval()
    feat = torch.randn(2, 6, 5, 7)
    grid = aspm.coordinate_map(5, 7, feat.device, feat.dtype)
    assert grid.shape == (1, 2, 5, 7)
    assert torch.allclose(grid[0, 0, :, 0], torch.arange(5) / 5)
    assert torch.allclose(grid[0, 1, 0], torch.arange(7) / 7)
    out = aspm(feat)
    delta = out - feat
    assert out.shape == feat.shape
    assert (delta > 0).all() and (delta < 1).all()
    assert torch.allclose(delta[0], delta[1])  # the same map for all
    # cached: the same tensor object, one entry per size
    assert aspm.coordinate_map(5, 7, feat.device, feat.dtype) is grid
    aspm(torch.randn(1, 6, 5, 7))
    assert len(aspm._grids) == 1
    aspm(torch.randn(1, 6, 3, 3))
    assert len(aspm._grids) == 2


def tiny_decoder(**kwargs):
    cfg = dict(num_classes=11, d_model=16, num_heads=2, ffn_channels=32,
               num_layers=2, in_channels=8, max_seq_len=20)
    cfg.update(kwargs)
    return STKMDecoder(**cfg).eval()


def test_decoder_shapes_and_causal_mask():
    torch.manual_seed(0)
    decoder = tiny_decoder()
    tokens = torch.randn(2, 9, 8)
    seq = torch.randint(4, 11, (2, 6))
    seq[:, 0] = 1
    logits = decoder.forward_train(tokens, seq)
    assert logits.shape == (2, 6, 11)
    changed = seq.clone()
    changed[:, 4] = 4 if seq[0, 4] != 4 else 5
    logits2 = decoder.forward_train(tokens, changed)
    assert torch.allclose(logits[:, :4], logits2[:, :4], atol=1e-5)
    assert not torch.allclose(logits[:, 4:], logits2[:, 4:])


def test_decoder_padding_mask():
    torch.manual_seed(0)
    decoder = tiny_decoder()
    tokens = torch.randn(1, 9, 8)
    seq = torch.tensor([[1, 5, 6, 0, 0]])
    logits = decoder.forward_train(tokens, seq)
    assert torch.isfinite(logits).all()
    # the same prefix without padding: identical logits on it
    short = decoder.forward_train(tokens, seq[:, :3])
    assert torch.allclose(logits[:, :3], short, atol=1e-5)
    with pytest.raises(ValueError):
        decoder.forward_train(tokens, torch.ones(1, 21, dtype=torch.long))


def test_greedy_decode_stops_at_eos():
    decoder = tiny_decoder()
    with torch.no_grad():
        decoder.classifier.bias.zero_()
        decoder.classifier.bias[EOS] = 100.
    indexes, scores = decoder.greedy_decode(torch.randn(3, 9, 8), 10)
    assert indexes.shape == scores.shape == (3, 1)
    assert (indexes == EOS).all() and (scores > 0.99).all()
    with torch.no_grad():
        decoder.classifier.bias[EOS] = -100.
        decoder.classifier.bias[7] = 100.
    indexes, scores = decoder.greedy_decode(torch.randn(3, 9, 8), 10)
    assert indexes.shape == (3, 10) and (indexes == 7).all()


class ScriptedLogits:
    """A stand-in for ``STKMDecoder._decode``: at step ``t`` (prefix of
    ``t + 1`` tokens) every sequence predicts ``script[t]``."""

    def __init__(self, script, num_classes):
        self.script = script
        self.num_classes = num_classes
        self.mask_padding = []

    def __call__(self, memory, inputs, mask_padding=True):
        self.mask_padding.append(mask_padding)
        logits = torch.zeros(inputs.size(0), inputs.size(1), self.num_classes)
        logits[:, -1, self.script[inputs.size(1) - 1]] = 10.
        return logits


def test_sequence_lengths_only_eos_ends():
    # POS = 0, WOS = 2, EOS = 3; lengths counted by hand, EOS included
    indexes = torch.tensor([[7, 0, 0, 8, 3, 0],   # POS before EOS
                            [7, 2, 8, 3, 0, 0],
                            [3, 0, 0, 0, 0, 0],
                            [7, 0, 8, 9, 5, 6]])  # no EOS: all kept
    assert sequence_lengths(indexes, EOS) == [5, 4, 1, 6]
    assert sequence_lengths(torch.zeros(2, 0, dtype=torch.long),
                            EOS) == [0, 0]


def test_greedy_decode_goes_on_after_a_predicted_pos():
    decoder = tiny_decoder()
    # 'a'-like class 7, POS, POS, class 8, EOS
    decoder._decode = ScriptedLogits([7, 0, 0, 8, EOS, 9, 9], 11)
    indexes, scores = decoder.greedy_decode(torch.randn(2, 9, 8), 10)
    assert indexes.tolist() == [[7, 0, 0, 8, EOS]] * 2
    assert (scores > 0.99).all()
    # the predicted POS stays visible to the later steps
    assert decoder._decode.mask_padding == [False] * 5


def test_predict_keeps_the_tokens_after_a_predicted_pos():
    init_default_scope('mmocr')
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg()).eval()
    dic = model.dictionary
    a, b = dic.char2idx('a'), dic.char2idx('b')
    # a POS POS b WOS EOS: the words are ['ab'], all 6 tokens are kept
    model.decoder._decode = ScriptedLogits(
        [a, dic.pad_idx, dic.pad_idx, b, dic.wos_idx, dic.eos_idx],
        dic.num_classes)
    preds = model.predict(torch.randn(1, 3, 64, 64))
    seq = preds[0].pred_sequence
    assert seq.words == ['ab']
    assert seq.indexes.tolist() == [a, 0, 0, b, dic.wos_idx, dic.eos_idx]
    assert len(seq.scores) == 6


def tiny_model_cfg():
    return dict(
        type='STKM',
        data_preprocessor=dict(
            type='ImgDataPreprocessor', mean=[127.5] * 3, std=[127.5] * 3,
            bgr_to_rgb=True),
        backbone=dict(type='mmdet.ResNet', depth=18, base_channels=4,
                      out_indices=(0, 1, 2, 3), style='pytorch',
                      init_cfg=None),
        neck=dict(type='mmdet.FPN', in_channels=[4, 8, 16, 32],
                  out_channels=8, num_outs=4),
        fusion=dict(type='STKMFeatureFusion', in_channels=8,
                    out_channels=16, kernel_size=3, out_stride=8),
        position=dict(type='AdaptiveSpatialPositionMap', channels=16),
        decoder=dict(type='STKMDecoder', d_model=16, num_heads=2,
                     ffn_channels=32, num_layers=1, max_seq_len=24),
        dictionary=dict(type='OTSGDictionary', max_len=24),
        max_len=24,
        max_decode_steps=6)


def make_samples(dictionary, word_lists):
    samples = []
    for words in word_lists:
        indexes, stats = dictionary.encode(words)
        sample = TextSequenceDataSample()
        sample.gt_sequence = LabelData(
            indexes=torch.tensor(indexes), words=stats['words'])
        samples.append(sample)
    return samples


def run_loss_predict(model, size=64):
    samples = make_samples(model.dictionary, [['HELLO', 'world'], ['cafe']])
    data = model.data_preprocessor(
        dict(inputs=[torch.randint(0, 256, (3, size, size), dtype=torch.uint8)
                     for _ in samples],
             data_samples=samples), True)
    model.train()
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_kl'}
    assert torch.isfinite(losses['loss_kl']) and losses['loss_kl'] > 0
    losses['loss_kl'].backward()
    assert model.backbone.conv1.weight.grad is not None
    model.eval()
    with torch.no_grad():
        preds = model(**data, mode='predict')
    for pred in preds:
        seq = pred.pred_sequence
        assert len(seq.indexes) == len(seq.scores) <= model.max_decode_steps
        assert seq.words == model.dictionary.decode(seq.indexes)
    return data


def test_stkm_modes():
    init_default_scope('mmocr')
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg())
    assert model.decoder.num_classes == model.dictionary.num_classes
    assert model.loss_module.pad_idx == model.dictionary.pad_idx
    data = run_loss_predict(model)
    with torch.no_grad():
        logits = model(**data, mode='tensor')
        # targets trimmed at the longest sequence (SOS HELLO WOS world WOS
        # EOS = 14 tokens, 13 inputs)
        assert logits.shape == (2, 13, model.dictionary.num_classes)
        free = model(data['inputs'], None, mode='tensor')
        assert free.shape[0] == 2 and free.shape[1] <= 6
    with pytest.raises(RuntimeError):
        model(data['inputs'], None, mode='bad')


def test_trimming_is_exact():
    init_default_scope('mmocr')
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg()).eval()  # eval: no dropout
    samples = make_samples(model.dictionary, [['ab'], ['cafe', 'x']])
    inputs = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        trimmed = model.loss(inputs, samples)['loss_kl']
        model.trim_targets = False
        full = model.loss(inputs, samples)['loss_kl']
    assert torch.allclose(trimmed, full, atol=1e-5)


# Every config with a model (the pipeline-steps base file has none).
@pytest.mark.parametrize('name', sorted(
    p.name for p in CONFIG_DIR.glob('*.py')
    # the multi-label ablation is run in tests/test_evaluation/
    # test_char_set_metric.py
    if not p.name.endswith('_steps.py') and 'multilabel' not in p.name))
def test_config_builds_and_runs(name):
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(CONFIG_DIR / name))
    assert cfg.get('default_scope', 'mmocr') == 'mmocr'
    model_cfg = cfg.model
    model = MODELS.build(model_cfg)
    assert hasattr(model, 'backbone')
    assert all(k.startswith('backbone.') for k in model.state_dict()
               if 'layer1' in k)
    if 'resnet50' in name:
        assert model.backbone.depth == 50
        assert model.decoder.layers.num_layers == 4
        assert model.fusion.reduce.conv.kernel_size == (1, 1)
        assert model.dictionary.max_len == 400
    if 'synthtext' in name:
        assert cfg.optim_wrapper.optimizer.betas == (0.5, 0.999)
        assert cfg.train_cfg.max_epochs == 10
        assert cfg.auto_scale_lr.base_batch_size == 32
        steps = [t['type'] for t in cfg.train_dataloader.dataset.pipeline]
        assert 'RandomRotate' in steps and not any('Crop' in s
                                                   for s in steps)
    model.max_decode_steps = 3  # keep the untrained greedy decoding short
    torch.manual_seed(0)
    run_loss_predict(model, size=64)


def test_dictionary_is_task_util():
    dictionary = TASK_UTILS.build(dict(type='OTSGDictionary', max_len=8))
    assert dictionary.num_classes == 99


def test_multilabel_ablation():
    init_default_scope('mmocr')
    torch.manual_seed(0)
    cfg = tiny_model_cfg()
    for key in ('decoder', 'max_len', 'max_decode_steps'):
        cfg.pop(key)
    cfg['type'] = 'STKMMultiLabel'
    model = MODELS.build(cfg)
    samples = make_samples(model.dictionary, [['ab', 'ba'], ['c']])
    targets = model.char_targets(samples, torch.device('cpu'))
    assert targets.shape == (2, model.dictionary.num_classes - 4)
    assert targets[0].sum() == 2 and targets[1].sum() == 1
    assert targets[0, ord('a') - 33] == 1 and targets[1, ord('c') - 33] == 1
    inputs = torch.randn(2, 3, 64, 64)
    model.train()
    loss = model(inputs, samples, mode='loss')['loss_bce']
    loss.backward()
    model.eval()
    with torch.no_grad():
        model.head.fc.bias.fill_(-100.)
        model.head.fc.bias[ord('a') - 33] = 100.
        preds = model(inputs, samples, mode='predict')
    assert preds[0].pred_sequence.chars == ['a']
    assert preds[0].pred_sequence.words == []
    assert model(inputs, None, mode='tensor').shape == (2, 95)
