"""DAN: CAM, decoupled decoder, recognizer, configs, and that it learns."""
import random
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData
from mmocr.registry import DATASETS, MODELS
from mmocr.structures import TextRecogDataSample

import mmtextknow.models  # noqa: F401  (registers the models)
from mmtextknow.models.textrecog import DANCAM, DANDecoder, DANRecognizer

REPO_ROOT = Path(__file__).resolve().parents[3]
DAN_CONFIGS = sorted(
    (REPO_ROOT / 'configs' / 'textrecog' / 'dan').glob('*.py'))
TOY_CONFIG = (
    REPO_ROOT / 'configs' / 'textrecog' / 'dan' /
    'dan_resnet45-cam_20e_toy.py')
DICTIONARY = dict(
    type='Dictionary',
    dict_file=str(REPO_ROOT / 'dicts' / 'lower_english_digits.txt'),
    with_start=True,
    with_end=True,
    same_start_end=True,
    with_padding=True,
    with_unknown=True)
T = 6


@pytest.fixture(autouse=True)
def mmocr_scope():
    init_default_scope('mmocr')


@pytest.fixture(autouse=True, scope='module')
def one_thread():
    """One intra-op thread: these models are tiny, and two OpenMP threads
    on a busy 2-core machine can make a step 50x slower (spinning)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def small_cam(**kwargs) -> DANCAM:
    cfg = dict(
        in_channels=(4, 8, 16),
        in_strides=(2, 4, 4),
        max_seq_len=T,
        feat_channels=8)
    cfg.update(kwargs)
    return DANCAM(**cfg)


def stages(n: int = 2, h: int = 8, w: int = 32):
    """Backbone-like stages for a (4 h) x (4 w) input: strides 2, 4, 4."""
    return (torch.randn(n, 4, 2 * h,
                        2 * w), torch.randn(n, 8, h,
                                            w), torch.randn(n, 16, h, w))


def small_decoder(**kwargs) -> DANDecoder:
    cfg = dict(
        dictionary=DICTIONARY,
        in_channels=16,
        lstm_channels=8,
        hidden_channels=48,
        embed_dims=48,
        max_seq_len=T,
        module_loss=dict(
            type='CEModuleLoss',
            letter_case='lower',
            ignore_first_char=True,
            reduction='mean'),
        postprocessor=dict(type='AttentionPostprocessor'))
    cfg.update(kwargs)
    return DANDecoder(**cfg)


def samples(texts):
    out = []
    for text in texts:
        sample = TextRecogDataSample()
        sample.gt_text = LabelData(item=text)
        out.append(sample)
    return out


# ---------------------------------------------------------------- CAM


def test_cam_shape_and_range():
    torch.manual_seed(0)
    cam = small_cam().eval()
    maps = cam(stages())
    assert maps.shape == (2, T, 8, 32)
    assert maps.min() > 0 and maps.max() < 1


def test_cam_restores_odd_sizes():
    """The up path gives back exactly F's size, odd sizes included."""
    cam = small_cam(strides=[(2, 2), (2, 2), (1, 2)]).eval()
    feats = (torch.randn(1, 4, 10,
                         26), torch.randn(1, 8, 5,
                                          13), torch.randn(1, 16, 5, 13))
    assert cam(feats).shape == (1, T, 5, 13)


def test_cam_single_stage_and_shape_errors():
    cam = DANCAM(
        in_channels=[16], in_strides=[4], max_seq_len=T,
        feat_channels=8).eval()
    assert cam(torch.randn(1, 16, 8, 32)).shape == (1, T, 8, 32)

    cam = small_cam().eval()
    with pytest.raises(ValueError, match='3 backbone stages'):
        cam(stages()[1:])
    with pytest.raises(ValueError, match='stage 0'):
        cam((torch.randn(1, 5, 16, 64), ) + stages(1)[1:])
    # stage 0 does not halve to stage 1's size
    with pytest.raises(ValueError, match='in_strides'):
        cam((torch.randn(1, 4, 16, 60), ) + stages(1)[1:])
    # 4 x 16 maps cannot be halved four times in height
    with pytest.raises(ValueError, match='smaller than its stride'):
        cam(stages(1, 4, 16))
    with pytest.raises(ValueError, match='not a multiple'):
        small_cam(in_strides=(2, 3, 4))
    with pytest.raises(ValueError, match='positive'):
        small_cam(strides=[(2, 0)])
    with pytest.raises(ValueError, match='same length'):
        small_cam(in_strides=(2, 4))


def test_cam_trains():
    cam = small_cam()
    cam(stages()).mean().backward()
    assert all(p.grad is not None for p in cam.parameters())


# ------------------------------------------------------------ decoder


def test_decoder_train_and_test_shapes():
    torch.manual_seed(0)
    decoder = small_decoder()
    num_classes = decoder.dictionary.num_classes
    feat, maps = stages(), torch.rand(2, T, 8, 32)
    data_samples = decoder.module_loss.get_targets(samples(['ab1', 'HeLLo']))
    logits = decoder.forward_train(feat, maps, data_samples)
    assert logits.shape == (2, T, num_classes)
    loss = decoder.loss(feat, maps, samples(['ab1', 'HeLLo']))['loss_ce']
    assert loss.dim() == 0 and loss.item() > 0
    loss.backward()

    decoder.eval()
    probs = decoder.forward_test(feat, maps)
    assert probs.shape == (2, T, num_classes)
    torch.testing.assert_close(probs.sum(-1), torch.ones(2, T))
    preds = decoder.predict(feat, maps, samples(['a', 'b']))
    assert all(isinstance(p.pred_text.item, str) for p in preds)


def test_decoder_greedy_equals_teacher_forcing_on_its_own_output():
    """In eval mode, feeding the greedy predictions back as the ground truth
    reproduces the greedy probabilities: test and train read the same way."""
    torch.manual_seed(1)
    decoder = small_decoder().eval()
    feat, maps = stages(), torch.rand(2, T, 8, 32)
    probs = decoder.forward_test(feat, maps)
    start = decoder.dictionary.start_idx
    prev = torch.cat([torch.full((2, 1), start), probs.argmax(-1)], 1)
    data_samples = samples(['x', 'y'])
    for sample, row in zip(data_samples, prev):
        sample.gt_text.padded_indexes = row[:T]
    logits = decoder.forward_train(feat, maps, data_samples)
    torch.testing.assert_close(logits.softmax(-1), probs)


def test_decoder_context_is_normalised_map_times_f():
    """A one-hot map reads F at that position, whatever its scale."""
    decoder = small_decoder().eval()
    feat = torch.randn(1, 16, 8, 32)
    maps = torch.full((1, T, 8, 32), 1e-9)
    maps[0, :, 3, 5] = 0.25
    weights = decoder.normalise_maps(maps)
    torch.testing.assert_close(weights.flatten(2).sum(2), torch.ones(1, T))
    contexts = torch.einsum('nthw,nchw->ntc', weights, feat)
    torch.testing.assert_close(
        contexts[0, 0], feat[0, :, 3, 5], atol=1e-4, rtol=1e-4)


def test_decoder_checks_inputs():
    decoder = small_decoder()
    with pytest.raises(ValueError, match='max_seq_len'):
        decoder.forward_test(stages(), torch.rand(2, T + 1, 8, 32))
    with pytest.raises(ValueError, match='differ in size'):
        decoder.forward_test(stages(), torch.rand(2, T, 4, 32))
    with pytest.raises(ValueError, match='start and end'):
        small_decoder(
            dictionary=dict(
                DICTIONARY, with_start=False, same_start_end=False))


# --------------------------------------------------------- recognizer


def small_recognizer() -> DANRecognizer:
    return DANRecognizer(
        data_preprocessor=dict(
            type='TextRecogDataPreprocessor',
            mean=[127, 127, 127],
            std=[127, 127, 127]),
        backbone=dict(
            type='ResNetABI',
            stem_channels=4,
            base_channels=4,
            arch_settings=[1, 1, 1],
            strides=[2, 2, 1],
            out_indices=[0, 1, 2]),
        encoder=dict(
            type='DANCAM',
            in_channels=[4, 8, 16],
            in_strides=[2, 4, 4],
            max_seq_len=T,
            feat_channels=8),
        decoder=dict(
            type='DANDecoder',
            dictionary=DICTIONARY,
            in_channels=16,
            lstm_channels=8,
            hidden_channels=48,
            embed_dims=48,
            max_seq_len=T,
            postprocessor=dict(type='AttentionPostprocessor')))


def force_sequence(decoder: DANDecoder, text: str) -> None:
    """Make the greedy decoder read ``text`` then the end token, whatever
    the image: the GRU state becomes tanh(one-hot(previous character)) and
    the classifier maps each previous character to the next one."""
    dictionary = decoder.dictionary
    chain = [dictionary.start_idx] + dictionary.str2idx(text) + \
        [dictionary.end_idx]
    num_classes = dictionary.num_classes
    hidden = decoder.hidden_channels
    with torch.no_grad():
        for p in decoder.parameters():
            p.zero_()
        decoder.embedding.weight[:, :num_classes] = torch.eye(num_classes)
        gates = decoder.gru.bias_ih.view(3, hidden)  # r, z, n
        gates[1] = -30.  # update gate z ~ 0: h' = n
        context_dims = decoder.gru.input_size - decoder.embedding.weight.size(
            1)
        w_in = decoder.gru.weight_ih.view(3, hidden, -1)[2]
        w_in[:num_classes, context_dims:context_dims + num_classes] = \
            torch.eye(num_classes)
        for prev, nxt in zip(chain[:-1], chain[1:]):
            decoder.classifier.weight[nxt, prev] = 10.


def test_text_attention_maps_normalised_and_cut_at_end():
    torch.manual_seed(0)
    model = small_recognizer().eval()
    inputs = torch.randn(3, 3, 32, 128)
    force_sequence(model.decoder, 'ab')
    with torch.no_grad():
        maps = model.text_attention_maps(inputs)
    assert maps.shape == (3, T, 8, 32) and maps.dtype == torch.float32
    sums = maps.flatten(2).sum(2)
    # 'ab' keeps 2 maps; the end (step 2) and all later steps are 0
    torch.testing.assert_close(sums[:, :2], torch.ones(3, 2))
    assert torch.all(maps[:, 2:] == 0)
    assert torch.all(maps >= 0)
    # the same maps the CAM gives, normalised
    with torch.no_grad():
        cam_maps = model.encoder(model.extract_feat(inputs))
    torch.testing.assert_close(maps[:, :2],
                               model.decoder.normalise_maps(cam_maps)[:, :2])
    # and the recognizer reads 'ab' through MMOCR's predict
    data_samples = samples(['', '', ''])
    with torch.no_grad():
        preds = model.predict(inputs, data_samples)
    assert [p.pred_text.item for p in preds] == ['ab'] * 3


def test_text_attention_maps_end_forced_by_bias():
    model = small_recognizer().eval()
    inputs = torch.randn(2, 3, 32, 128)
    with torch.no_grad():
        model.decoder.classifier.weight.zero_()
        model.decoder.classifier.bias.zero_()
        model.decoder.classifier.bias[model.decoder.dictionary.end_idx] = 10.
        assert torch.all(model.text_attention_maps(inputs) == 0)
        # a character instead of the end: no end, all T maps kept
        model.decoder.classifier.bias.zero_()
        model.decoder.classifier.bias[model.decoder.dictionary.char2idx(
            'x')] = 10.
        maps = model.text_attention_maps(inputs)
    torch.testing.assert_close(maps.flatten(2).sum(2), torch.ones(2, T))


# ------------------------------------------------------------ configs


def test_dan_configs_exist():
    names = {p.name for p in DAN_CONFIGS}
    assert {
        '_base_dan_resnet45_cam.py', 'dan_resnet45-cam_10e_st-mj.py',
        'dan_resnet45-cam_20e_toy.py'
    } <= names


@pytest.mark.parametrize('path', DAN_CONFIGS, ids=lambda p: p.name)
def test_dan_config_builds(path):
    cfg = Config.fromfile(str(path))
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    model = MODELS.build(cfg.model)
    assert isinstance(model, DANRecognizer)
    assert model.decoder.dictionary.num_classes == 36 + 3  # +start/end,pad,unk
    assert model.decoder.module_loss.letter_case == 'lower'
    model.eval()
    with torch.no_grad():
        maps = model.text_attention_maps(torch.randn(1, 3, 32, 128))
    assert maps.shape == (1, model.decoder.max_seq_len, 8, 32)


def test_paper_config_schedule():
    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs/textrecog/dan/dan_resnet45-cam_10e_st-mj.py'))
    assert cfg.model.backbone.arch_settings == [3, 4, 6, 6, 3]
    assert cfg.model.encoder.max_seq_len == 25
    assert cfg.optim_wrapper.optimizer == dict(type='Adadelta', lr=1.0)
    assert cfg.optim_wrapper.clip_grad == dict(max_norm=20)
    assert cfg.train_cfg.max_epochs == 10
    assert cfg.param_scheduler[0].milestones == [3, 5]
    assert cfg.param_scheduler[0].gamma == 0.1
    assert cfg.train_dataloader.batch_size == 48
    roots = {d.data_root for d in cfg.train_dataloader.dataset.datasets}
    assert roots == {'data/mjsynth', 'data/synthtext'}


# ------------------------------------------------------------ learning


def test_toy_dan_learns_shared_rec_toy(shared_data):
    """The toy config's DAN, fed by MMOCR's recognition pipeline, fits the
    7 shared word images: 30 Adam steps cut the loss by more than 30%."""
    torch.manual_seed(0)
    random.seed(0)
    np.random.seed(0)
    cfg = Config.fromfile(str(TOY_CONFIG))
    init_default_scope('mmocr')
    dataset = DATASETS.build(
        dict(
            type='OCRDataset',
            data_root=str(shared_data / 'rec_toy'),
            data_prefix=dict(img_path='imgs/'),
            ann_file='labels.json',
            pipeline=cfg.train_pipeline))
    assert len(dataset) == 7
    model = MODELS.build(cfg.model)
    model.decoder.dropout.p = 0.  # a deterministic loss curve
    optim_wrapper = OptimWrapper(torch.optim.Adam(model.parameters(), 3e-3))
    losses = []
    model.train()
    for _ in range(30):
        batch = pseudo_collate([dataset[i] for i in range(len(dataset))])
        losses.append(model.train_step(batch, optim_wrapper)['loss'].item())
    assert np.isfinite(losses).all()
    first, last = np.mean(losses[:3]), np.mean(losses[-3:])
    assert last < 0.7 * first, losses
