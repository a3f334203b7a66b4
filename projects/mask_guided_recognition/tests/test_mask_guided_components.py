"""The widened first layer, the mask sources, the packer."""
from contextlib import nullcontext

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import load_state_dict
from mmengine.structures import LabelData, PixelData
from mmocr.registry import MODELS, TRANSFORMS
from mmocr.structures import TextRecogDataSample

from mask_guided_helpers import PROJECT_CONFIGS
from projects.mask_guided_recognition.mask_guided_recognition import (
    MASK_SOURCES, MaskedTextRecogDataSample, WidenInputConvHook,
    widen_conv_weight)

init_default_scope('mmocr')

FCN_TOY = 'configs/textseg/fcn/fcn_resnet18_8e_toy.py'


def model_cfg(name: str) -> Config:
    cfg = Config.fromfile(str(PROJECT_CONFIGS / name))
    return cfg


def stock_and_widened(name: str):
    """The stock MMOCR model of a config (narrow input) and ours."""
    cfg = model_cfg(name)
    ours = MODELS.build(cfg.model)
    stock_cfg = cfg.model.copy()
    stock_cfg.type = stock_cfg.type.replace('MaskGuided', '')
    for key in ('input_convs', 'new_channel_std', 'trainable'):
        stock_cfg.pop(key)
    stock_cfg.data_preprocessor = dict(type='TextRecogDataPreprocessor')
    if 'input_channels' in stock_cfg.backbone:
        stock_cfg.backbone.input_channels -= 1
    else:
        stock_cfg.backbone.in_channels -= 1
        stock_cfg.preprocessor.in_channels -= 1
    return MODELS.build(stock_cfg), ours


def test_widen_conv_weight():
    weight = torch.randn(8, 3, 3, 3)
    wide = widen_conv_weight(weight, 4)
    assert wide.shape == (8, 4, 3, 3)
    assert torch.equal(wide[:, :3], weight)
    assert not wide[:, 3:].any()
    torch.manual_seed(0)
    small = widen_conv_weight(weight, 5, std=0.01)
    assert torch.equal(small[:, :3], weight)
    assert 0 < small[:, 3:].std() < 0.02
    with pytest.raises(ValueError, match='cannot widen'):
        widen_conv_weight(weight, 2)
    with pytest.raises(ValueError, match='4-D'):
        widen_conv_weight(torch.zeros(3, 3), 4)
    with pytest.raises(ValueError, match='std'):
        WidenInputConvHook(std=-1)


@pytest.mark.parametrize('name, convs', [
    ('crnn-rm_mini-vgg_5e_mj.py', ['backbone.cnn.conv0']),
    ('aster-rm_resnet45_6e_st-mj.py',
     ['preprocessor.stn_convnet.0.conv', 'backbone.stem_layers.0.conv']),
])
def test_pretrained_weights_kept_exactly(name, convs):
    stock, ours = stock_and_widened(name)
    stock_state = stock.state_dict()
    load_state_dict(ours, stock_state, strict=True)
    ours_state = ours.state_dict()
    assert set(ours_state) == set(stock_state)
    for key, value in stock_state.items():
        if any(key == conv + '.weight' for conv in convs):
            channels = value.shape[1]
            assert ours_state[key].shape[1] == channels + 1
            assert torch.equal(ours_state[key][:, :channels], value)
            assert not ours_state[key][:, channels:].any()
        else:
            assert torch.equal(ours_state[key], value), key
    # A zero mask-channel weight: the widened model computes what the stock
    # one did, whatever the mask holds.
    stock.eval(), ours.eval()
    channels = stock_state[convs[0] + '.weight'].shape[1]
    height, width = (32, 100) if channels == 1 else (64, 256)
    image = torch.randn(2, channels, height, width)
    mask = (torch.rand(2, 1, height, width) < 0.5).float()
    with torch.no_grad():
        expected = stock(image, mode='tensor')
        got = ours(torch.cat([image, mask], 1), mode='tensor')
    assert torch.allclose(got, expected, atol=1e-5)


def test_own_checkpoint_loads_unchanged():
    _, ours = stock_and_widened('crnn-rm_mini-vgg_5e_mj.py')
    conv = ours.backbone.cnn.conv0
    with torch.no_grad():
        conv.weight.normal_()
    state = {k: v.clone() for k, v in ours.state_dict().items()}
    with torch.no_grad():
        conv.weight.zero_()
    load_state_dict(ours, state, strict=True)
    assert torch.equal(conv.weight, state['backbone.cnn.conv0.weight'])


def test_trainable_input_layer_only():
    cfg = model_cfg('aster-rm_resnet45_6e_st-mj.py')
    assert cfg.model.trainable == 'input_layer'
    model = MODELS.build(cfg.model)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {
        'preprocessor.stn_convnet.0.conv.weight',
        'backbone.stem_layers.0.conv.weight'
    }
    model.train()
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert norms and not any(m.training for m in norms)
    assert model.backbone.training  # the rest is in training mode
    cfg.model.trainable = 'all'
    model = MODELS.build(cfg.model)
    assert all(p.requires_grad for p in model.parameters())
    cfg.model.trainable = 'first'
    with pytest.raises(ValueError, match='trainable'):
        MODELS.build(cfg.model)
    cfg.model.trainable = 'all'
    cfg.model.input_convs = ['backbone.nothing']
    with pytest.raises(ValueError, match='no layer'):
        MODELS.build(cfg.model)
    cfg.model.input_convs = ['backbone.stem_layers.0']
    with pytest.raises(ValueError, match='not an nn.Conv2d'):
        MODELS.build(cfg.model)


def batch(num: int = 3, height: int = 32, width: int = 100, seed: int = 0):
    """BGR uint8 crops (the last one narrower) with ground-truth masks."""
    rng = np.random.default_rng(seed)
    inputs, samples = [], []
    for i in range(num):
        w = width - 20 * (i == num - 1)
        inputs.append(
            torch.from_numpy(
                rng.integers(0, 256, (3, height, w), dtype=np.uint8)))
        sample = MaskedTextRecogDataSample(
            metainfo=dict(
                img_shape=(height, w), valid_ratio=1.0, img_path=f'{i}.png'))
        mask = rng.integers(0, 2, (1, height, w), dtype=np.uint8)
        mask[0, 0, :3] = 255  # don't care: not text
        sample.gt_pixel_mask = PixelData(data=torch.from_numpy(mask))
        sample.gt_text = LabelData(item='word')
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def preprocessor(source: str, **kwargs):
    cfg = dict(
        type='MaskChannelDataPreprocessor',
        mean=[127],
        std=[127],
        gray=True,
        mask_source=source)
    if source == 'predicted':
        cfg.update(segmenter=FCN_TOY, seg_checkpoint=None, seg_scale=2.0)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_mask_source_changes_only_the_mask_channel():
    assert MASK_SOURCES == ('none', 'random', 'predicted', 'gt')
    outputs = {}
    for source in MASK_SOURCES:
        with pytest.warns(UserWarning, match='random weights') \
                if source == 'predicted' else nullcontext():
            prep = preprocessor(source)
        torch.manual_seed(1)
        outputs[source] = prep(batch(), training=True)['inputs']
    image = outputs['none']
    assert image.shape == (3, 1, 32, 100)
    for source in ('random', 'predicted', 'gt'):
        assert outputs[source].shape == (3, 2, 32, 100)
        assert torch.equal(outputs[source][:, :1], image), source
    # the grey channel: BT.601 of the BGR crop, (x - 127) / 127
    raw = batch()['inputs'][0].float()
    grey = 0.114 * raw[0] + 0.587 * raw[1] + 0.299 * raw[2]
    assert torch.allclose(image[0, 0], (grey - 127) / 127, atol=1e-5)
    # the ground truth: 1 -> +1, 0 and 255 -> -1, padding -> -1
    data = batch()
    gt = outputs['gt'][:, 1]
    for i, sample in enumerate(data['data_samples']):
        mask = sample.gt_pixel_mask.data[0]
        h, w = mask.shape
        assert torch.equal(gt[i, :h, :w], torch.where(mask == 1, 1., -1.))
        assert (gt[i, :, w:] == -1).all()
    # the random mask: +-1 with probability 0.5 each, new for each batch
    rand = outputs['random'][:, 1]
    assert set(rand.unique().tolist()) == {-1.0, 1.0}
    assert 0.45 < (rand[:2] == 1).float().mean() < 0.55
    assert (rand[2, :, 80:] == -1).all()  # padding
    torch.manual_seed(1)
    prep = preprocessor('random')
    first = prep(batch(), training=True)['inputs'][:, 1]
    again = prep(batch(), training=True)['inputs'][:, 1]
    assert torch.equal(first, rand)  # torch's global generator
    assert not torch.equal(again, rand)
    # the segmenter's binary mask at the crop size
    pred = outputs['predicted'][:, 1]
    assert set(pred.unique().tolist()) <= {-1.0, 1.0}
    assert not torch.equal(pred, gt)
    assert (pred[2, :, 80:] == -1).all()  # padding


def test_predicted_mask_comes_from_the_frozen_segmenter():
    prep = preprocessor('predicted', pred_mask='prob', mask_mean=0.0,
                        mask_std=1.0)
    seg = prep.segmenter
    assert not any(p.requires_grad for p in seg.parameters())
    prep.train()
    assert not seg.training
    data = batch(num=2)
    torch.manual_seed(0)
    prob = prep(data, training=True)['inputs'][:, 1:]
    # the same crops through the segmenter as a user would run it, at 2x
    from mmtextknow.structures import TextSegDataSample
    colour = torch.stack([x.float() for x in data['inputs'][:1]])
    up = torch.nn.functional.interpolate(
        colour, (64, 200), mode='bilinear', align_corners=False)
    seg_data = seg.data_preprocessor(
        dict(inputs=up, data_samples=[
            TextSegDataSample(
                metainfo=dict(img_shape=(64, 200), ori_shape=(32, 100)))
        ]), False)
    with torch.no_grad():
        (pred, ) = seg(**seg_data, mode='predict')
    assert torch.allclose(prob[0], pred.pred_pixel_mask.prob, atol=1e-5)
    assert prob.min() >= 0 and prob.max() <= 1
    # the narrower crop: its padding is background
    assert (prob[1, :, :, 80:] == 0).all()


def test_preprocessor_errors():
    with pytest.raises(ValueError, match='mask_source'):
        preprocessor('polygon')
    with pytest.raises(ValueError, match='needs a segmenter'):
        MODELS.build(
            dict(type='MaskChannelDataPreprocessor', mask_source='predicted'))
    with pytest.raises(ValueError, match='exclude'):
        preprocessor('random', bgr_to_rgb=True)
    data = batch()
    data['data_samples'][1] = TextRecogDataSample(
        metainfo=dict(img_shape=(32, 100), valid_ratio=1.0, img_path='x.png'))
    with pytest.raises(ValueError, match='x.png has no gt_pixel_mask'):
        preprocessor('gt')(data)
    grey = dict(inputs=[torch.zeros(1, 32, 100, dtype=torch.uint8)],
                data_samples=None)
    with pytest.warns(UserWarning):
        prep = preprocessor('predicted')
    with pytest.raises(ValueError, match='colour'):
        prep(grey)


def test_pack_masked_inputs():
    pack = TRANSFORMS.build(
        dict(type='PackMaskedTextRecogInputs',
             meta_keys=('img_path', 'img_shape')))
    img = np.zeros((4, 6, 3), np.uint8)
    mask = np.eye(4, 6, dtype=np.uint8)
    results = dict(img=img, img_path='a.png', img_shape=(4, 6),
                   gt_texts=['ab'], gt_seg_map=mask)
    packed = pack(dict(results))
    sample = packed['data_samples']
    assert isinstance(sample, MaskedTextRecogDataSample)
    assert sample.gt_text.item == 'ab'
    assert sample.img_path == 'a.png'
    assert torch.equal(sample.gt_pixel_mask.data[0], torch.from_numpy(mask))
    assert packed['inputs'].shape == (3, 4, 6)
    del results['gt_seg_map']
    assert 'gt_pixel_mask' not in pack(dict(results))['data_samples']
    results['gt_seg_map'] = np.zeros((4, 5), np.uint8)
    with pytest.raises(ValueError, match='a.png: gt_seg_map is'):
        pack(results)
