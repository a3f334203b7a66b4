"""ARM-Net's DPD: the pure-PyTorch CARAFE reassembly and the decoder blocks."""
import pytest
import torch
import torch.nn.functional as F

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
