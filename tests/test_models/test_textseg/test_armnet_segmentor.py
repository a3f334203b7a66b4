"""ARMNet: every config's model trains and predicts; the ablation switches;
the REM's recognizer is a training-only teacher.

The ResNet-50 configs are built at ResNet-18 depth with small widths
(:func:`_shrunk`) to keep the test fast; one test builds the real ResNet-50
TotalText model (output stride 8) and runs a single forward. The ICDAR-2013
and TextSeg configs share the TotalText model, which is checked instead of
running it again.
"""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config, ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData, PixelData

import mmtextknow  # noqa: F401  (registers the models)
from mmocr.registry import MODELS
from mmtextknow.models.textseg.armnet import ARMNetDPD
from mmtextknow.models.textseg.segmentors import (ARMNet,
                                                  ARMNetBilinearDecoder)
from mmtextknow.structures import TextSegDataSample

CONFIG_DIR = (Path(__file__).resolve().parents[3] / 'configs' / 'textseg' /
              'armnet')
TOY = 'armnet_resnet18_8e_toy.py'
TOTALTEXT = 'armnet_resnet50_100e_totaltext.py'
SAME_MODEL_AS_TOTALTEXT = ('armnet_resnet50_100e_icdar2013.py',
                           'armnet_resnet50_100e_textseg.py')
CONFIGS = sorted(
    p.name for p in CONFIG_DIR.glob('armnet_*.py')
    if p.name not in SAME_MODEL_AS_TOTALTEXT)
SIZE = 64
ORI_SHAPE = (96, 80)


def _model_cfg(name: str) -> ConfigDict:
    init_default_scope('mmocr')
    return Config.fromfile(str(CONFIG_DIR / name)).model


def _shrunk(name: str) -> ConfigDict:
    """The config's model at ResNet-18 depth, base width 16 (its strides,
    dilations and output levels kept), a 16-channel TSM and a 32-channel
    decoder (the toy config as it is), random weights."""
    cfg = _model_cfg(name)
    if name == TOY:
        return _random_recognizer(cfg)
    cfg.backbone.update(depth=18, base_channels=16, init_cfg=None)
    widths = [16 * 2**i for i in cfg.backbone.out_indices]
    if cfg.tsm is not None:
        cfg.tsm.update(in_channels=widths[-1], channels=16)
        widths[-1] = MODELS.build(cfg.tsm).out_channels
    cfg.decoder.update(in_channels=widths, channels=32)
    if cfg.decoder.type == 'ARMNetDPD':
        cfg.decoder.stage_cfg = dict(compressed_channels=16)
    cfg.seg_head.update(in_channels=32, feat_channels=16)
    if cfg.rem is not None:
        cfg.rem.update(
            in_channels=32,
            unet=dict(base_channels=4, num_levels=2),
            attention=dict(key_channels=4))
    return _random_recognizer(cfg)


def _random_recognizer(cfg: ConfigDict) -> ConfigDict:
    """The config's REM recognizer with random weights (no checkpoint)."""
    if cfg.rem is not None:
        cfg.rem.recognizer.checkpoint = None
    return cfg


def _build(cfg: ConfigDict) -> ARMNet:
    torch.manual_seed(0)
    return MODELS.build(cfg)


def _samples(num: int = 2):
    """Samples of 64x64 inputs with a pixel mask, restored to 96x80."""
    samples = []
    for _ in range(num):
        sample = TextSegDataSample(
            metainfo=dict(
                has_pixel_mask=True,
                has_polygon_mask=False,
                img_shape=(SIZE, SIZE),
                ori_shape=ORI_SHAPE,
                batch_input_shape=(SIZE, SIZE)))
        mask = torch.zeros(1, SIZE, SIZE, dtype=torch.uint8)
        mask[:, 20:40, 10:50] = 1
        sample.gt_pixel_mask = PixelData(data=mask)
        sample.gt_instances = InstanceData(
            bboxes=torch.tensor([[10., 20., 50., 40.]]),
            ignored=torch.tensor([False]))
        samples.append(sample)
    return samples


@pytest.mark.parametrize('name', CONFIGS)
@pytest.mark.filterwarnings('ignore:REM recognizer without a checkpoint')
def test_config_model_trains_and_predicts(name):
    model = _build(_shrunk(name))
    inputs = torch.randn(2, 3, SIZE, SIZE)
    model.train()
    losses = model(inputs, _samples(), mode='loss')
    expected = {'loss_bce', 'loss_dice'}
    if model.rem is not None:
        expected.add('loss_rem')
    assert set(losses) == expected
    assert all(torch.isfinite(v) and v > 0 for v in losses.values())
    sum(losses.values()).backward()
    for module in (model.backbone.conv1, model.tsm, model.decoder,
                   model.rem):
        if module is not None:
            assert any(p.grad is not None and p.grad.abs().sum() > 0
                       for p in module.parameters())
    for param in model.parameters():
        if param.grad is not None:
            assert torch.isfinite(param.grad).all()

    model.eval()
    with torch.no_grad():
        results = model(inputs, _samples(), mode='predict')
    for sample in results:
        assert sample.pred_pixel_mask.data.shape == (1, *ORI_SHAPE)
        assert set(sample.pred_pixel_mask.data.unique().tolist()) <= {0, 1}


@pytest.mark.parametrize('name', SAME_MODEL_AS_TOTALTEXT)
def test_dataset_configs_share_the_totaltext_model(name):
    assert _model_cfg(name) == _model_cfg(TOTALTEXT)


def test_resnet50_totaltext_model_has_output_stride_8():
    """The paper config: ImageNet ResNet-50 (torchvision layout) dilated to
    output stride 8, the TSM on C5 at stride 8, one DPD stage fusing C2."""
    cfg = _model_cfg(TOTALTEXT)
    assert cfg.backbone.type == 'mmdet.ResNet'
    assert cfg.backbone.init_cfg == dict(
        type='Pretrained', checkpoint='torchvision://resnet50')
    cfg.backbone.init_cfg = None  # nothing is downloaded in tests
    model = _build(cfg).eval()
    assert model.backbone.depth == 50
    layer3, layer4 = model.backbone.layer3, model.backbone.layer4
    assert layer3[0].conv2.stride == layer4[0].conv2.stride == (1, 1)
    assert {b.conv2.dilation for b in layer3} == {(2, 2)}
    assert {b.conv2.dilation for b in layer4} == {(4, 4)}
    assert isinstance(model.decoder, ARMNetDPD)
    assert len(model.decoder.stages) == 1
    assert model.decoder.in_channels == (256, 2304) == (
        256, model.tsm.out_channels)
    # Non-square input, 96 x 64: C2 at /4, C5 and the TSM at /8.
    inputs = torch.randn(1, 3, 96, 64)
    with torch.no_grad():
        c2, c5 = model.backbone(inputs)
        tsm_out = model.tsm(c5)
        seg_feats = model.decoder((c2, tsm_out))
        logits = model(inputs, mode='tensor')
    assert c2.shape == (1, 256, 24, 16) and c5.shape == (1, 2048, 12, 8)
    assert tsm_out.shape == (1, 2304, 12, 8)
    assert seg_feats.shape == (1, 256, 24, 16)
    assert logits.shape == (1, 1, 96, 64)
    assert torch.isfinite(logits).all()


SWITCHES = [
    # Table 2
    ('', lambda m: m.tsm.gtm is not None and m.tsm.dtm is not None and
     isinstance(m.decoder, ARMNetDPD) and m.rem is not None),
    ('_wo-tsm-dpd-rem', lambda m: m.tsm is None and isinstance(
        m.decoder, ARMNetBilinearDecoder) and m.rem is None),
    ('_wo-dpd-rem', lambda m: m.tsm is not None and isinstance(
        m.decoder, ARMNetBilinearDecoder) and m.rem is None),
    ('_wo-rem', lambda m: m.tsm is not None and isinstance(
        m.decoder, ARMNetDPD) and m.rem is None),
    ('_wo-tsm-dpd', lambda m: m.tsm is None and isinstance(
        m.decoder, ARMNetBilinearDecoder) and m.rem is not None),
    # Tables 3 and 4 (with REM and DPD)
    ('_wo-tsm', lambda m: m.tsm is None and isinstance(m.decoder, ARMNetDPD)
     and m.rem is not None),
    ('_gtm-only', lambda m: m.tsm.gtm is not None and m.tsm.dtm is None),
    ('_dtm-only', lambda m: m.tsm.gtm is None and m.tsm.dtm is not None),
    ('_dtm-d1-3-6-12', lambda m: m.tsm.dtm.dilations == (1, 3, 6, 12)),
    ('_dtm-d1-6-12-18', lambda m: m.tsm.dtm.dilations == (1, 6, 12, 18)),
    ('_dtm-d1-12-18-24', lambda m: m.tsm.dtm.dilations == (1, 12, 18, 24)),
    # Ours: the undilated backbone, TSM at stride 32, three DPD stages.
    ('_os32', lambda m: m.backbone.strides == (1, 2, 2, 2) and len(
        m.decoder.stages) == 3 and m.backbone.out_indices == (0, 1, 2, 3)),
]


@pytest.mark.parametrize(
    'suffix, check', SWITCHES, ids=[s or 'full' for s, _ in SWITCHES])
def test_ablation_switches_change_the_module_graph(suffix, check):
    name = TOTALTEXT.replace('.py', f'{suffix}.py')
    assert check(_build(_shrunk(name)))


@pytest.mark.parametrize('name', CONFIGS)
def test_configs_keep_the_backbone_init_and_output_stride(name):
    """Every ResNet-50 config starts from ImageNet; all but the stride-32
    ablation (and the toy, from random weights) are at output stride 8."""
    backbone = _model_cfg(name).backbone
    if name == TOY:
        assert backbone.init_cfg is None
    else:
        assert backbone.init_cfg.checkpoint == 'torchvision://resnet50'
    if name.endswith('_os32.py'):
        assert tuple(backbone.strides) == (1, 2, 2, 2)
    else:
        assert tuple(backbone.strides) == (1, 2, 1, 1)
        assert tuple(backbone.dilations) == (1, 1, 2, 4)
        assert tuple(backbone.out_indices) == (0, 3)


def test_default_tsm_uses_the_paper_dilations():
    model = _build(_shrunk(TOTALTEXT))
    assert model.tsm.dtm.dilations == (1, 2, 3, 6)


@pytest.mark.filterwarnings('ignore:REM recognizer without a checkpoint')
def test_rem_recognizer_stays_out_of_the_model_and_inference():
    model = _build(_shrunk(TOY))
    model.train()
    model(torch.randn(2, 3, SIZE, SIZE), _samples(), mode='loss')
    recognizer = model.rem.text_attention.recognizer  # built by the loss
    assert not any(p.requires_grad for p in recognizer.parameters())
    own = {id(p) for p in model.parameters()}
    assert not any(id(p) in own for p in recognizer.parameters())
    assert not any('recognizer' in key for key in model.state_dict())
    # inference needs neither the recognizer files nor word boxes
    cfg = _shrunk(TOY)
    cfg.rem.recognizer.checkpoint = '/nonexistent/dan.pth'
    model = _build(cfg).eval()
    samples = _samples()
    for sample in samples:
        del sample.gt_instances
    with torch.no_grad():
        results = model(torch.randn(2, 3, SIZE, SIZE), samples,
                        mode='predict')
    assert results[0].pred_pixel_mask.data.shape == (1, *ORI_SHAPE)
    model.train()
    with pytest.raises(FileNotFoundError, match='dan.pth'):
        model(torch.randn(2, 3, SIZE, SIZE), _samples(), mode='loss')


@pytest.mark.parametrize('key, value', [
    ('decoder.in_channels', [64, 512]),
    ('seg_head.in_channels', 16),
    ('rem.in_channels', 16),
])
def test_mismatched_widths_fail_at_build_time(key, value):
    cfg = _shrunk(TOY)
    module, arg = key.split('.')
    cfg[module][arg] = value
    with pytest.raises(ValueError, match='channels'):
        MODELS.build(cfg)


def test_bilinear_decoder_shapes_and_input_check():
    decoder = ARMNetBilinearDecoder([8, 16, 32], channels=4)
    feats = [torch.randn(2, c, 32 // 2**i, 32 // 2**i)
             for i, c in enumerate((8, 16, 32))]
    assert decoder(feats).shape == (2, 4, 32, 32)
    with pytest.raises(ValueError, match='expected 3'):
        decoder(feats[1:])
    with pytest.raises(ValueError, match='two'):
        ARMNetBilinearDecoder([8])
