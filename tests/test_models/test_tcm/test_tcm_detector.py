"""TCM around MMOCR's DBNet / PANet / FCENet: configs, losses, predictions,
the optimiser groups, the ablation switches and CLIP weight loading."""
import copy
from pathlib import Path

import open_clip
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS, MODELS

import mmtextknow  # noqa: F401
from mmtextknow.models.textdet.tcm import TCM

REPO_ROOT = Path(__file__).resolve().parents[3]
TCM_DIR = REPO_ROOT / 'configs' / 'textdet' / 'tcm'
DBNET_DIR = REPO_ROOT / 'configs' / 'textdet' / 'dbnet'
TOY = TCM_DIR / 'tcm-dbnet_clip-tiny_fpnc_8e_toy.py'


def _cfg(path: Path = TOY) -> Config:
    init_default_scope('mmocr')
    return Config.fromfile(str(path))


def _build(model_cfg) -> TCM:
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)
    model.init_weights()
    return model


def _batch(cfg: Config, data_root: Path, split: str, num: int = 2) -> dict:
    loader = cfg[f'{split}_dataloader']
    dataset_cfg = copy.deepcopy(loader.dataset)
    dataset_cfg.update(
        type='OCRDataset',
        data_root=str(data_root),
        ann_file=f'textdet_{split}.json')
    dataset = DATASETS.build(dataset_cfg)
    return pseudo_collate([dataset[i] for i in range(num)])


def _loss(model: TCM, batch: dict) -> dict:
    model.train()
    data = model.data_preprocessor(copy.deepcopy(batch), True)
    return model(**data, mode='loss')


def _predict(model: TCM, batch: dict) -> list:
    model.eval()
    with torch.no_grad():
        data = model.data_preprocessor(copy.deepcopy(batch), False)
        return model(**data, mode='predict')


@pytest.fixture(scope='module')
def toy_batches(tiny_toy_data):
    cfg = _cfg()
    return (_batch(cfg, tiny_toy_data, 'train'),
            _batch(cfg, tiny_toy_data, 'test'))


def test_toy_loss_and_predict(toy_batches):
    cfg = _cfg()
    model = _build(cfg.model)
    losses = _loss(model, toy_batches[0])
    assert set(losses) == {'loss_prob', 'loss_thr', 'loss_db', 'loss_ilm'}
    assert all(torch.isfinite(v) for v in losses.values())
    results = _predict(model, toy_batches[1])
    assert len(results) == 2
    assert {'polygons', 'scores'} <= set(results[0].pred_instances.keys())


def test_score_map_is_an_extra_c5_channel(toy_batches):
    model = _build(_cfg().model)
    data = model.data_preprocessor(copy.deepcopy(toy_batches[1]), False)
    inputs = data['inputs']
    c5 = model.backbone(inputs)[-1]
    maps = model.prompt_maps(c5)
    n, _, h, w = c5.shape
    assert maps['score_map'].shape == (n, 1, h, w)
    assert maps['score_map'].abs().max() <= 1 + 1e-5  # cosine similarity
    assert maps['visual_prompt'].shape == maps['image_embedding'].shape
    # The neck sees C5 + 1 channels (FPNC in_channels[-1] = 512 + 1).
    assert model.neck.lateral_convs[-1].conv.in_channels == c5.size(1) + 1


def test_auxiliary_target_is_the_detectors_shrink_map(toy_batches):
    model = _build(_cfg().model)
    assert model.kernel_target.shrink_ratio == 0.4  # DBModuleLoss's
    data = model.data_preprocessor(copy.deepcopy(toy_batches[0]), True)
    samples = data['data_samples']
    kernels, masks = model.kernel_target(samples, data['inputs'].shape[-2:],
                                         torch.device('cpu'))
    gt_shrinks, gt_masks, _, _ = model.det_head.module_loss.get_targets(
        samples)
    h, w = gt_shrinks.shape[-2:]
    assert torch.equal(kernels[:, :h, :w], gt_shrinks)
    assert torch.equal(masks[:, :h, :w], gt_masks)


def test_text_encoder_frozen_by_lr_while_prompt_learns(toy_batches):
    cfg = _cfg()
    model = _build(cfg.model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    text_before = copy.deepcopy(model.text_encoder.state_dict())
    context_before = model.text_prompt.context.detach().clone()
    generator_before = [
        p.detach().clone() for p in model.language_prompt.parameters()
    ]
    losses = _loss(model, toy_batches[0])
    optim.backward(sum(losses.values()))
    # Gradients flow through the text encoder ...
    grads = [p.grad for p in model.text_encoder.parameters()]
    assert any(g is not None and g.abs().sum() > 0 for g in grads)
    optim.step()
    # ... but its weights did not move (lr 0), the prompt's did.
    for key, value in model.text_encoder.state_dict().items():
        assert torch.equal(value, text_before[key]), key
    assert not torch.equal(model.text_prompt.context, context_before)
    assert any(not torch.equal(p, q) for p, q in zip(
        model.language_prompt.parameters(), generator_before))


def test_paper_optimiser_groups():
    cfg = _cfg(TCM_DIR / 'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py')
    model = MODELS.build(cfg.model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    by_param = {}
    for group in optim.optimizer.param_groups:
        for param in group['params']:
            by_param[id(param)] = group
    named = dict(model.named_parameters())
    assert by_param[id(named['backbone.visual.conv1.weight'])]['lr'] == (
        pytest.approx(1e-5))
    assert by_param[id(named['text_encoder.text_projection'])]['lr'] == 0
    assert by_param[id(named['text_prompt.context'])]['lr'] == (
        pytest.approx(1e-4))
    assert by_param[id(named['neck.lateral_convs.0.conv.weight'])][
        'weight_decay'] == pytest.approx(1e-4)
    assert by_param[id(named['backbone.visual.bn1.weight'])][
        'weight_decay'] == 0


@pytest.mark.parametrize('switch,absent', [
    (dict(language_prompt=None), 'language_prompt'),
    (dict(visual_prompt=None), 'visual_prompt'),
    (dict(context_decoder=None), 'context_decoder'),
])
def test_ablation_switches_remove_modules(switch, absent, toy_batches):
    cfg = _cfg()
    cfg.model.update(switch)
    model = _build(cfg.model)
    assert getattr(model, absent) is None
    assert not any(
        name.startswith(absent + '.') for name, _ in model.named_modules())
    losses = _loss(model, toy_batches[0])
    assert torch.isfinite(sum(losses.values()))
    if absent == 'visual_prompt':
        c5 = model.backbone(torch.zeros(1, 3, 64, 64))[-1]
        assert not model.prompt_maps(c5)['visual_prompt'].any()


@pytest.mark.parametrize('num_tokens', [4, 18, 32])
def test_prompt_switches(num_tokens):
    cfg = _cfg()
    cfg.model.text_prompt.num_context_tokens = num_tokens
    model = MODELS.build(cfg.model)
    assert model.text_prompt.context.shape == (num_tokens, 128)
    assert model.text_prompt.length == 14 + num_tokens
    cfg.model.text_prompt.predefined_prompt = None  # learnable only
    model = MODELS.build(cfg.model)
    assert model.text_prompt.length == num_tokens + 2


def test_text_cached_in_eval_without_language_prompt(toy_batches):
    cfg = _cfg()
    cfg.model.language_prompt = None
    model = _build(cfg.model)
    calls = []
    model.text_encoder.register_forward_hook(
        lambda *args: calls.append(1))
    _predict(model, toy_batches[1])
    _predict(model, toy_batches[1])
    assert len(calls) == 1  # the image-independent text is encoded once
    _loss(model, toy_batches[0])  # training recomputes it
    assert len(calls) == 2
    assert model._text_cache is None


def test_training_without_clip_weights_is_refused():
    cfg = _cfg()
    cfg.model.allow_random_clip = False
    model = MODELS.build(cfg.model)
    with pytest.raises(ValueError, match='no CLIP weights'):
        model.init_weights()


def test_clip_checkpoint_fills_both_encoders(tmp_path):
    """An open_clip state dict of the toy's CLIP sizes, loaded by
    init_weights: every encoder weight equals the file's."""
    clip = open_clip.CLIP(
        embed_dim=256,
        vision_cfg=open_clip.CLIPVisionCfg(
            layers=[1, 1, 1, 1], width=16, head_width=128, image_size=256),
        text_cfg=open_clip.CLIPTextCfg(
            context_length=77, vocab_size=49408, width=128, heads=4,
            layers=2),
        quick_gelu=True)
    state = clip.state_dict()
    for value in state.values():
        if value.is_floating_point():
            value.normal_()
    path = tmp_path / 'clip_tiny.pt'
    torch.save(state, path)
    cfg = _cfg()
    cfg.model.update(clip_checkpoint=str(path), allow_random_clip=False)
    model = _build(cfg.model)
    for key, value in model.backbone.state_dict().items():
        if not key.endswith('num_batches_tracked'):
            assert torch.equal(value, state[key]), key
    for key, value in model.text_encoder.state_dict().items():
        assert torch.equal(value, state[key]), key


@pytest.mark.parametrize('name,aux_ratio', [
    ('tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py', 0.4),
    ('tcm-panet_clip-rn50_fpem-ffm_1200e_icdar2015.py', 1.0),
    ('tcm-fcenet_clip-rn50_fpn_1800e_icdar2015.py', 1.0),
])
def test_paper_configs_loss_and_predict(name, aux_ratio, tiny_toy_data):
    """The paper configs at full size (CLIP RN50, random weights), their
    own pipelines, on one generated image each."""
    cfg = _cfg(TCM_DIR / name)
    cfg.model.allow_random_clip = True
    cfg.model.clip_checkpoint = None
    model = MODELS.build(cfg.model)
    assert model.kernel_target.shrink_ratio == aux_ratio
    losses = _loss(model, _batch(cfg, tiny_toy_data, 'train', num=1))
    assert 'loss_ilm' in losses
    assert all(torch.isfinite(v) for v in losses.values())
    results = _predict(model, _batch(cfg, tiny_toy_data, 'test', num=1))
    assert 'polygons' in results[0].pred_instances


# The configs of the pre-trainings, the TD500 rows of PANet / FCENet, the
# cross-dataset rows and the deeper DBNet baselines, each built at full size
# (random weights) and run through loss and predict on one generated
# 256x256 image (the toy pipelines: their own pipelines are built by
# tests/test_configs.py).
MORE_PAPER_CONFIGS = [
    TCM_DIR / 'tcm-dbnet_clip-rn50_fpnc_20e_synthtext-real.py',
    TCM_DIR / 'tcm-panet_clip-rn50_fpem-ffm_20e_synthtext-real.py',
    TCM_DIR / 'tcm-panet_clip-rn50_fpem-ffm_1200e_msra-td500.py',
    TCM_DIR / 'tcm-fcenet_clip-rn50_fpn_1800e_msra-td500.py',
    TCM_DIR / 'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2013-to-icdar2015.py',
    TCM_DIR / 'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2013-to-msra-td500.py',
    DBNET_DIR / 'dbnet_resnet101-dcnv2_fpnc_1200e_icdar2015.py',
    DBNET_DIR / 'dbnet_resnet152-dcnv2_fpnc_1200e_icdar2015.py',
]


@pytest.mark.parametrize('path', MORE_PAPER_CONFIGS, ids=lambda p: p.name)
def test_more_paper_configs_loss_and_predict(path, toy_batches):
    cfg = _cfg(path)
    if cfg.model.type == 'TCM':
        cfg.model.allow_random_clip = True
        cfg.model.clip_checkpoint = None
    else:
        cfg.model.backbone.init_cfg = None
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    train, test = (
        dict(inputs=batch['inputs'][:1],
             data_samples=batch['data_samples'][:1]) for batch in toy_batches)
    losses = _loss(model, train)
    assert all(torch.isfinite(v) for v in losses.values())
    assert ('loss_ilm' in losses) == (cfg.model.type == 'TCM')
    results = _predict(model, test)
    assert 'polygons' in results[0].pred_instances


def test_visual_prompt_reads_the_text_before_the_context_decoder(
        toy_batches):
    cfg = _cfg()
    assert cfg.model.visual_prompt_text == 'pre_context'
    for order in ('pre_context', 'post_context'):
        cfg.model.visual_prompt_text = order
        model = _build(cfg.model).eval()
        seen = {}
        model.visual_prompt.register_forward_hook(
            lambda mod, args, out: seen.update(vpg_text=args[1]))
        model.context_decoder.register_forward_hook(
            lambda mod, args, out: seen.update(before=args[0], after=out))
        c5 = model.backbone(torch.rand(2, 3, 128, 96))[-1]
        with torch.no_grad():
            maps = model.prompt_maps(c5)
            text = model.encode_text(model.backbone.embed(c5)[0])
        torch.testing.assert_close(seen['before'], text)
        torch.testing.assert_close(maps['text'], seen['after'])
        expected = seen['before'] if order == 'pre_context' else \
            seen['after']
        assert torch.equal(seen['vpg_text'], expected)
        assert not torch.equal(seen['before'], seen['after'])
    with pytest.raises(ValueError, match='visual_prompt_text'):
        cfg.model.visual_prompt_text = 'both'
        MODELS.build(cfg.model)


def test_td500_optimiser_is_lookahead_radam_without_weight_decay():
    from timm.optim import Lookahead
    cfg = _cfg(TCM_DIR / 'tcm-dbnet_clip-rn50_fpnc_1200e_msra-td500.py')
    model = MODELS.build(cfg.model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    assert isinstance(optim.optimizer, Lookahead)
    radam = optim.optimizer._base_optimizer
    assert isinstance(radam, torch.optim.RAdam)
    assert optim.optimizer.param_groups is radam.param_groups
    assert all(g['weight_decay'] == 0 for g in radam.param_groups)
    assert all(g['lookahead_alpha'] == 0.5 and g['lookahead_k'] == 6
               for g in radam.param_groups)
    by_param = {id(p): g for g in radam.param_groups for p in g['params']}
    named = dict(model.named_parameters())
    assert by_param[id(named['neck.lateral_convs.0.conv.weight'])]['lr'] == \
        pytest.approx(1e-3)
    assert by_param[id(named['backbone.visual.conv1.weight'])]['lr'] == \
        pytest.approx(1e-4)
    assert by_param[id(named['text_encoder.text_projection'])]['lr'] == 0
    assert radam.defaults['betas'] == (0.95, 0.999)
    assert radam.defaults['eps'] == 1e-5
    # trained on TD500 + HUST-TR400
    datasets = cfg.train_dataloader.dataset.datasets
    assert [d.data_root for d in datasets] == ['data/td500',
                                               'data/hust_tr400']


def test_totaltext_config_predicts_polygons():
    """The TotalText postprocessor on a curved (half-ring) text region
    returns its outline as a polygon of many points, not a box."""
    import cv2
    import numpy as np
    from mmocr.structures import TextDetDataSample
    cfg = _cfg(TCM_DIR / 'tcm-dbnet_clip-rn50_fpnc_1200e_totaltext.py')
    post_cfg = cfg.model.det_head.postprocessor
    assert post_cfg.text_repr_type == 'poly'
    post = MODELS.build(post_cfg)
    prob = np.zeros((240, 320), np.uint8)
    cv2.ellipse(prob, (160, 200), (120, 120), 0, 180, 360, 1, thickness=30)
    prob_map = torch.from_numpy(prob.astype(np.float32) * 0.9)
    sample = TextDetDataSample(metainfo=dict(img_shape=(240, 320)))
    result = post.get_text_instances(prob_map, sample)
    polygons = result.pred_instances.polygons
    assert len(polygons) == 1
    points = np.asarray(polygons[0]).reshape(-1, 2)
    assert len(points) > 4  # a polygon, not a quadrilateral
    # the outline stays around the ring (unclipped by 1.95): its area is
    # far below the minimum-area box's
    area = cv2.contourArea(points.astype(np.float32))
    box = cv2.minAreaRect(points.astype(np.float32))
    assert area < 0.6 * box[1][0] * box[1][1]
