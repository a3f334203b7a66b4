"""ARM-Net's DPD: the pure-PyTorch CARAFE reassembly and the decoder blocks."""
import contextlib
import math
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmocr.registry import MODELS
from mmtextknow.models.textseg.armnet.dpd import (ARMNetChannelSemanticModule,
                                                  ARMNetDPD,
                                                  ARMNetSpatialContextUpsampler)
from mmtextknow.models.textseg.armnet.reassembly import \
    content_aware_reassembly


def _reference_reassembly(features, kernels, k_up, scale, group_size=1):
    """mmcv's ``carafe_naive`` CUDA kernel, written out with loops."""
    n, c, h, w = features.shape
    r = (k_up - 1) // 2
    out = features.new_zeros(n, c, h * scale, w * scale)
    for ch in range(c):
        group = ch // (c // group_size)
        for y in range(h * scale):
            for x in range(w * scale):
                for a in range(k_up):
                    for b in range(k_up):
                        sy, sx = y // scale + a - r, x // scale + b - r
                        if 0 <= sy < h and 0 <= sx < w:
                            kc = (group * k_up + a) * k_up + b
                            out[:, ch, y, x] += (features[:, ch, sy, sx] *
                                                 kernels[:, kc, y, x])
    return out


def _random_kernels(n, k_up, scale, h, w, group_size=1):
    logits = torch.randn(n, group_size, k_up * k_up, h * scale, w * scale)
    return logits.softmax(dim=2).flatten(1, 2)


@pytest.mark.parametrize('k_up,scale,group_size', [(3, 2, 1), (5, 2, 1),
                                                   (3, 3, 2), (1, 2, 1)])
def test_reassembly_matches_loops(k_up, scale, group_size):
    torch.manual_seed(0)
    features = torch.randn(2, 4, 3, 5)
    kernels = _random_kernels(2, k_up, scale, 3, 5, group_size)
    out = content_aware_reassembly(features, kernels, k_up, scale,
                                   group_size)
    expected = _reference_reassembly(features, kernels, k_up, scale,
                                     group_size)
    assert out.shape == (2, 4, 3 * scale, 5 * scale)
    torch.testing.assert_close(out, expected)


def test_reassembly_matches_unfold():
    """Independent formulation: nearest-upsampled unfolded patches."""
    torch.manual_seed(0)
    k_up, scale = 5, 2
    features = torch.randn(1, 3, 6, 4)
    kernels = _random_kernels(1, k_up, scale, 6, 4)
    patches = F.unfold(features, k_up, padding=k_up // 2).view(1, 3 * 25, 6, 4)
    patches = F.interpolate(patches, scale_factor=scale, mode='nearest')
    expected = (patches.view(1, 3, 25, 12, 8) * kernels[:, None]).sum(2)
    torch.testing.assert_close(
        content_aware_reassembly(features, kernels, k_up, scale), expected)


@pytest.mark.parametrize('k_up,scale,group_size', [(3, 2, 1), (3, 2, 2)])
def test_reassembly_gradients(k_up, scale, group_size):
    """The CPU path's backward (both inputs) against finite differences."""
    torch.manual_seed(0)
    features = torch.randn(1, 4, 3, 4, dtype=torch.double,
                           requires_grad=True)
    kernels = _random_kernels(1, k_up, scale, 3, 4, group_size).double()
    kernels.requires_grad_()
    assert torch.autograd.gradcheck(
        lambda f, k: content_aware_reassembly(f, k, k_up, scale, group_size),
        (features, kernels))


def test_centre_one_hot_is_nearest_upsampling():
    k_up, scale = 5, 3
    features = torch.randn(2, 3, 4, 4)
    kernels = torch.zeros(2, k_up * k_up, 12, 12)
    kernels[:, k_up * k_up // 2] = 1
    torch.testing.assert_close(
        content_aware_reassembly(features, kernels, k_up, scale),
        F.interpolate(features, scale_factor=scale, mode='nearest'))


def test_reassembly_rejects_bad_kernels():
    with pytest.raises(ValueError):
        content_aware_reassembly(
            torch.zeros(1, 2, 3, 3), torch.zeros(1, 9, 6, 6), 5, 2)
    with pytest.raises(ValueError):
        content_aware_reassembly(
            torch.zeros(1, 2, 3, 3), torch.zeros(1, 16, 6, 6), 4, 2)


def test_spatial_upsampler_kernel_layout_and_normalisation():
    """The module's kernels follow CARAFEPack's channel layout: encoder
    channel ``kidx * r^2 + i * r + j`` at ``(h, w)`` weighs output
    ``(h r + i, w r + j)``; each kernel is a softmax (sums to 1)."""
    torch.manual_seed(0)
    k_up, r = 3, 2
    module = ARMNetSpatialContextUpsampler(4, r, up_kernel=k_up,
                                     compressed_channels=8)
    # Large encoder weights so that the kernels are far from uniform.
    torch.nn.init.normal_(module.content_encoder.weight, std=0.5)
    x = torch.randn(2, 4, 3, 4)
    raw = module.content_encoder(module.channel_compressor(x))
    assert raw.shape == (2, k_up * k_up * r * r, 3, 4)
    masks = module.kernel_normalizer(raw)
    torch.testing.assert_close(masks.sum(1), torch.ones(2, 6, 8))
    expected = torch.empty_like(masks)
    for y in range(6):
        for xx in range(8):
            channels = [k * r * r + (y % r) * r + xx % r
                        for k in range(k_up * k_up)]
            expected[:, :, y, xx] = raw[:, channels, y // r,
                                        xx // r].softmax(dim=1)
    torch.testing.assert_close(masks, expected)
    out = module(x)
    assert out.shape == (2, 4, 6, 8)
    torch.testing.assert_close(
        out, _reference_reassembly(x, expected, k_up, r))


def test_channel_semantic_module():
    torch.manual_seed(0)
    module = ARMNetChannelSemanticModule(6, 5, filter_size=3).eval()
    x = torch.randn(2, 6, 4, 4)
    affinity = module.channel_affinity(x)
    assert affinity.shape == (2, 6, 6)
    torch.testing.assert_close(affinity.sum(-1), torch.ones(2, 6))
    filters = module.dynamic_filter(x)
    assert filters.shape == (2, 6, 3, 3)
    weighted = (affinity @ x.flatten(2)).view_as(x)
    torch.testing.assert_close(filters[:, :, 0, 0],
                               weighted[:, :, :2, :2].mean((2, 3)))
    upsampled = torch.randn(2, 6, 8, 8)
    out = module(x, upsampled)
    assert out.shape == (2, 5, 8, 8)
    # The grouped conv equals a per-sample depth-wise conv.
    expected = torch.stack([
        module.fuse(F.conv2d(upsampled[i:i + 1], filters[i, :, None],
                             padding=1, groups=6))[0] for i in range(2)
    ])
    torch.testing.assert_close(out, expected)


def _two_channel_feature():
    """``F`` with channels ``[1, 1, 0, 0]`` and ``[0, 1, 1, 0]`` on 2 x 2
    positions: ``F F^T = [[2, 1], [1, 2]]``, ``HW = 4``, cosine 1/2."""
    return torch.tensor([[1., 1., 0., 0.], [0., 1., 1., 0.]]).view(1, 2, 2, 2)


# W_c = [[p, 1 - p], [1 - p, p]], p = 1 / (1 + exp(-(S_00 - S_01))):
# cosine (1 - 1/2) / tau; sqrt_hw (2 - 1) / sqrt(4); none 2 - 1.
@pytest.mark.parametrize('affinity, kwargs, gap', [
    ('cosine', dict(temperature=0.5), 1.),
    ('cosine', dict(), 0.5 / 0.07),
    ('sqrt_hw', dict(), 0.5),
    ('none', dict(), 1.),
])
def test_channel_affinity_by_hand(affinity, kwargs, gap):
    module = ARMNetChannelSemanticModule(2, 2, affinity=affinity, **kwargs)
    p = 1 / (1 + math.exp(-gap))
    expected = torch.tensor([[[p, 1 - p], [1 - p, p]]])
    torch.testing.assert_close(
        module.channel_affinity(_two_channel_feature()), expected)


def test_cosine_affinity_ignores_magnitude_and_learns_its_temperature():
    module = ARMNetChannelSemanticModule(2, 2, temperature=0.5)
    assert module.temperature == pytest.approx(0.5)
    x = _two_channel_feature()
    torch.testing.assert_close(
        module.channel_affinity(10 * x), module.channel_affinity(x))
    module.channel_affinity(x)[0, 0, 0].backward()
    # p = sigmoid(gap / tau) grows as tau shrinks: d p / d log(1 / tau) > 0.
    assert module.log_inv_temperature.grad > 0
    fixed = ARMNetChannelSemanticModule(2, 2, learn_temperature=False)
    assert not fixed.log_inv_temperature.requires_grad
    assert ARMNetChannelSemanticModule(2, 2, affinity='none').temperature \
        is None


@pytest.mark.parametrize('kwargs, match', [
    (dict(affinity='danet'), 'affinity'),
    (dict(temperature=0.001), 'temperature'),
])
def test_channel_affinity_arguments_are_checked(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ARMNetChannelSemanticModule(2, 2, **kwargs)


def _text_image(size: int = 256) -> torch.Tensor:
    """A normalised 1 x 3 x size x size image: dark words on a lit, noisy
    background (the data preprocessor's ImageNet mean and std)."""
    rng = np.random.default_rng(0)
    ramp = np.linspace(60, 220, size, dtype=np.float32)
    img = np.stack([ramp[None, :].repeat(size, 0),
                    ramp[:, None].repeat(size, 1),
                    np.full((size, size), 128, np.float32)], -1)
    img += rng.normal(0, 12, img.shape).astype(np.float32)
    for i, word in enumerate(('TEXT', 'segment', 'ARM-Net 2022')):
        cv2.putText(img, word, (size // 32 + size // 25 * i,
                                size // 4 + size // 4 * i),
                    cv2.FONT_HERSHEY_SIMPLEX, size / 160 - size / 850 * i,
                    (20, 30 + 40 * i, 200 - 60 * i), max(1, size // 85))
    mean = np.array([123.675, 116.28, 103.53], np.float32)
    std = np.array([58.395, 57.12, 57.375], np.float32)
    return torch.from_numpy((img - mean) / std).permute(2, 0, 1)[None]


def _row_entropy(affinity: torch.Tensor) -> torch.Tensor:
    return -(affinity * affinity.clamp_min(1e-30).log()).sum(-1)


@contextlib.contextmanager
def _flush_denormal():
    """Denormal floats as zero: the saturated softmax of the unscaled
    eq. (5) is full of them, which slows CPU arithmetic tenfold."""
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(False)


@pytest.fixture(scope='module')
def paper_features():
    """The paper config's model (ResNet-50 at output stride 8, random
    weights, training mode) and its TSM output for a 128 x 128 text image:
    the input of the first DPD stage."""
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(
        Path(__file__).resolve().parents[3] / 'configs' / 'textseg' /
        'armnet' / 'armnet_resnet50_100e_totaltext.py')).model
    cfg.backbone.init_cfg = None
    cfg.rem = None
    torch.manual_seed(0)
    model = MODELS.build(cfg).train()
    with torch.no_grad(), _flush_denormal():
        feats = model.extract_backbone_feat(_text_image(128))
    return model, feats[-1]


def test_channel_affinity_mixes_channels_in_training(paper_features):
    model, tsm_out = paper_features
    assert tsm_out.shape == (1, 2304, 16, 16)  # stride 8
    channel = model.decoder.stages[0].channel
    assert channel.affinity == 'cosine'
    affinity = channel.channel_affinity(tsm_out)[0]
    entropy = _row_entropy(affinity)
    # Clearly not the identity: every row spreads weight over channels.
    assert entropy.mean() > 0.5 and entropy.min() > 0.1
    assert affinity.diagonal().mean() < 0.95
    # Nor uniform: each channel keeps more than a share 1 / C.
    assert entropy.max() < math.log(2304) - 1
    # Eq. (5) unscaled on the same features: the identity (row max 1).
    channel.affinity = 'none'
    try:
        with _flush_denormal():
            literal = channel.channel_affinity(tsm_out)[0]
    finally:
        channel.affinity = 'cosine'
    assert _row_entropy(literal).mean() < 1e-3
    assert literal.diagonal().min() > 0.999


def test_loss_gradient_reaches_the_channel_affinity(paper_features):
    """The softmax's input (and the temperature) get a gradient from the
    module's output: the loss trains through W_c; for eq. (5) unscaled the
    saturated softmax passes (almost) nothing back."""
    model, tsm_out = paper_features
    channel = model.decoder.stages[0].channel
    feat = tsm_out.clone().requires_grad_()
    upsampled = F.interpolate(tsm_out, scale_factor=2, mode='nearest')
    grads = {}
    for affinity in ('cosine', 'none'):
        channel.affinity = affinity
        energies = []
        original = channel.channel_energy

        def spy(x, original=original, energies=energies):
            energy = original(x)
            energy.retain_grad()
            energies.append(energy)
            return energy

        channel.channel_energy = spy
        try:
            with _flush_denormal():
                channel(feat, upsampled).square().mean().backward()
            if affinity == 'cosine':
                temperature_grad = channel.log_inv_temperature.grad.item()
        finally:
            del channel.channel_energy
            channel.affinity = 'cosine'
            channel.zero_grad()
        assert len(energies) == 1
        grads[affinity] = energies[0].grad.abs().sum().item()
    assert grads['cosine'] > 0 and temperature_grad != 0
    assert grads['none'] < 1e-3 * grads['cosine']


def test_decoder_checks_the_stage_resolutions():
    """Two stride-8 levels (C4, C5 of a dilated backbone) cannot feed a x2
    stage."""
    decoder = ARMNetDPD((8, 12, 16), channels=8,
                        stage_cfg=dict(compressed_channels=4))
    feats = [torch.randn(1, 8, 16, 16), torch.randn(1, 12, 8, 8),
             torch.randn(1, 16, 8, 8)]
    with pytest.raises(ValueError, match=r'input 2 is \(8, 8\), expected '
                       r'\(4, 4\)'):
        decoder(feats)


def test_one_stage_decoder_from_stride_8():
    """C2 (stride 4) and the TSM output (stride 8): one x2 stage."""
    torch.manual_seed(0)
    decoder = ARMNetDPD((8, 24), channels=16,
                        stage_cfg=dict(compressed_channels=8))
    assert len(decoder.stages) == 1
    out = decoder([torch.randn(2, 8, 24, 16), torch.randn(2, 24, 12, 8)])
    assert out.shape == (2, 16, 24, 16)


@pytest.mark.parametrize('size', [64, 72])
def test_decoder_shapes_and_gradients(size):
    torch.manual_seed(0)
    in_channels = (8, 12, 16, 24)
    decoder = MODELS.build(
        dict(type='ARMNetDPD', in_channels=in_channels,
             channels=16, stage_cfg=dict(compressed_channels=8)))
    assert isinstance(decoder, ARMNetDPD)
    decoder.init_weights()
    sizes = [size // 4]
    for _ in range(3):  # ceil, as a stride-2 conv gives for odd sizes
        sizes.append((sizes[-1] + 1) // 2)
    feats = [torch.randn(2, c, s, s, requires_grad=True)
             for c, s in zip(in_channels, sizes)]
    out = decoder(feats)
    assert out.shape == (2, 16, size // 4, size // 4)
    out.square().mean().backward()
    for name, param in decoder.named_parameters():
        assert param.grad is not None, name
        assert torch.isfinite(param.grad).all(), name
    assert all(torch.isfinite(f.grad).all() for f in feats)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
@pytest.mark.parametrize('k_up,scale,group_size', [(5, 2, 1), (3, 2, 2)])
def test_reassembly_cpu_matches_mmcv_cuda(k_up, scale, group_size):
    torch.manual_seed(0)
    features = torch.randn(2, 8, 7, 9, dtype=torch.double)
    kernels = _random_kernels(2, k_up, scale, 7, 9,
                              group_size).double()
    grad = torch.randn(2, 8, 7 * scale, 9 * scale, dtype=torch.double)
    results = []
    for device in ('cpu', 'cuda'):
        f = features.to(device).requires_grad_()
        k = kernels.to(device).requires_grad_()
        out = content_aware_reassembly(f, k, k_up, scale, group_size)
        out.backward(grad.to(device))
        results.append([t.cpu() for t in (out, f.grad, k.grad)])
    for cpu, cuda in zip(*results):
        torch.testing.assert_close(cpu, cuda)
    # The whole module, float32.
    module = ARMNetSpatialContextUpsampler(8, scale, up_kernel=k_up,
                                     compressed_channels=4,
                                     up_group=group_size)
    x = features.float()
    torch.testing.assert_close(
        module(x), module.cuda()(x.cuda()).cpu(), rtol=1e-4, atol=1e-5)
