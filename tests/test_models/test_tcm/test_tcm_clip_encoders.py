# Copyright (c) mmtextknow contributors. All rights reserved.
"""TCM's CLIP image encoder (stages, attention-pool embeddings) and text
encoder (truncated context, leading dims, gradients, parity with open_clip).
"""
import time

import pytest
import torch
from open_clip.model import CLIP, CLIPTextCfg, CLIPVisionCfg

from mmocr.registry import MODELS
from mmtextknow.models.textdet.tcm.clip_image_encoder import CLIPResNet
from mmtextknow.models.textdet.tcm.clip_text_encoder import CLIPTextEncoder
from mmtextknow.models.textdet.tcm.clip_weights import load_clip_weights

SMALL_IMG = dict(layers=(1, 1, 1, 1), width=8, embed_dim=32, heads=2)
SMALL_TXT = dict(
    context_length=20, vocab_size=100, width=32, heads=2, layers=2,
    embed_dim=32)


def small_image_encoder(**kwargs):
    cfg = dict(SMALL_IMG, pretrain_img_size=224)
    cfg.update(kwargs)
    torch.manual_seed(0)
    enc = CLIPResNet(**cfg)
    # open_clip zero-initialises bn3 (residual branches vanish); randomise
    # all parameters and BN statistics so the checks are meaningful.
    with torch.no_grad():
        for name, p in enc.named_parameters():
            p.normal_(0, 0.3 if 'weight' in name else 0.1)
        for m in enc.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    return enc.eval()


def small_clip(image_size=224):
    """A small open_clip CLIP with the SMALL sizes (QuickGELU like OpenAI)."""
    torch.manual_seed(1)
    vision = CLIPVisionCfg(
        layers=SMALL_IMG['layers'],
        width=SMALL_IMG['width'],
        head_width=SMALL_IMG['width'] * 32 // SMALL_IMG['heads'],
        image_size=image_size)
    text = CLIPTextCfg(
        context_length=SMALL_TXT['context_length'],
        vocab_size=SMALL_TXT['vocab_size'],
        width=SMALL_TXT['width'],
        heads=SMALL_TXT['heads'],
        layers=SMALL_TXT['layers'])
    clip = CLIP(SMALL_TXT['embed_dim'], vision, text, quick_gelu=True)
    with torch.no_grad():
        for name, p in clip.visual.named_parameters():
            if name.endswith('bn3.weight'):
                p.normal_(0, 0.3)
    return clip.eval()


def test_registered():
    assert MODELS.get('TCMCLIPResNet') is CLIPResNet
    assert MODELS.get('CLIPResNet') is not CLIPResNet  # MMOCR's own
    assert MODELS.get('TCMCLIPTextEncoder') is CLIPTextEncoder


def test_stage_shapes_and_strides():
    enc = small_image_encoder()
    assert enc.out_channels == [32, 64, 128, 256]
    x = torch.rand(2, 3, 96, 160)
    outs = enc(x)
    assert len(outs) == 4
    for i, out in enumerate(outs):
        stride = 2**(i + 2)
        assert out.shape == (2, enc.out_channels[i], 96 // stride,
                             160 // stride)

    enc2 = small_image_encoder(out_indices=(1, 3))
    assert enc2.out_channels == [64, 256]
    outs2 = enc2(x)
    assert [tuple(o.shape[1:]) for o in outs2] == [(64, 12, 20), (256, 3, 5)]
    with pytest.raises(ValueError):
        CLIPResNet(**SMALL_IMG, out_indices=(4, ))


def test_parameter_names_match_clip_keys():
    enc = CLIPResNet(**SMALL_IMG)
    clip = small_clip()
    clip_visual = {k for k in clip.state_dict() if k.startswith('visual.')}
    assert set(enc.state_dict()) == clip_visual


@pytest.mark.parametrize('size', [(224, 224), (96, 160)])
def test_embed_shapes(size):
    enc = small_image_encoder()
    c5 = enc(torch.rand(2, 3, *size))[-1]
    glob, dense = enc.embed(c5)
    h, w = size[0] // 32, size[1] // 32
    assert glob.shape == (2, 32)
    assert dense.shape == (2, 32, h, w)
    assert torch.isfinite(glob).all() and torch.isfinite(dense).all()


def direct_attention_pool(enc, c5):
    """The attention pool with every token a query, written out: tokens
    ``[mean; pixels] + pos``, per head ``softmax(q k^T / sqrt(d)) v`` from
    the pool's q / k / v projections, heads concatenated, then ``c_proj``.
    Returns ``(1 + h*w) x B x D``."""
    pool = enc.visual.attnpool
    b, c, h, w = c5.shape
    tokens = c5.flatten(2).permute(0, 2, 1)  # B x hw x C
    tokens = torch.cat([tokens.mean(1, keepdim=True), tokens], dim=1)
    tokens = tokens + enc.interpolate_pos_embed(h, w)
    heads = pool.num_heads
    d = c // heads

    def split(x):  # B x N x C -> B x heads x N x d
        return x.reshape(b, -1, heads, d).transpose(1, 2)

    q = split(tokens @ pool.q_proj.weight.T + pool.q_proj.bias)
    k = split(tokens @ pool.k_proj.weight.T + pool.k_proj.bias)
    v = split(tokens @ pool.v_proj.weight.T + pool.v_proj.bias)
    weights = torch.softmax(q @ k.transpose(-1, -2) / d**0.5, dim=-1)
    out = (weights @ v).transpose(1, 2).reshape(b, -1, c)
    out = out @ pool.c_proj.weight.T + pool.c_proj.bias
    return out.transpose(0, 1)


@pytest.mark.parametrize('size', [(224, 224), (96, 160)])
def test_dense_embeddings_are_full_attention_over_all_tokens(size):
    enc = small_image_encoder()
    assert enc.dense_mode == 'attention'  # the default
    c5 = enc(torch.rand(2, 3, *size))[-1]
    h, w = c5.shape[-2:]
    with torch.no_grad():
        glob, dense = enc.embed(c5)
        ref = direct_attention_pool(enc, c5)
    torch.testing.assert_close(glob, ref[0], rtol=1e-4, atol=1e-5)
    # pixel (i, j) is token 1 + i * w + j
    torch.testing.assert_close(
        dense, ref[1:].permute(1, 2, 0).reshape(2, -1, h, w),
        rtol=1e-4, atol=1e-5)
    # every pixel's embedding depends on the other pixels (attention
    # mixing), unlike the value path
    c5_changed = c5.clone()
    c5_changed[:, :, 0, 0] += 1.0
    with torch.no_grad():
        _, dense_changed = enc.embed(c5_changed)
    assert (dense_changed[:, :, -1, -1] - dense[:, :, -1, -1]).abs().max() \
        > 1e-4


def test_embed_global_matches_open_clip_attnpool_at_pretrain_size():
    x = torch.rand(2, 3, 224, 224)
    for mode in ('attention', 'value'):
        enc = small_image_encoder(dense_mode=mode)
        with torch.no_grad():
            glob, _ = enc.embed(enc(x)[-1])
            ref = enc.visual(x)  # open_clip's ModifiedResNet (attnpool)
        torch.testing.assert_close(glob, ref, rtol=1e-4, atol=1e-5)


def test_value_path_dense_embeddings_option():
    enc = small_image_encoder(dense_mode='value')
    x = torch.rand(2, 3, 224, 224)
    with torch.no_grad():
        c5 = enc(x)[-1]
        _, dense = enc.embed(c5)
        # dense = c_proj(v_proj(token + pos)) per spatial token
        pool = enc.visual.attnpool
        tok = c5[:, :, 2, 5] + pool.positional_embedding[1 + 2 * 7 + 5]
        torch.testing.assert_close(dense[:, :, 2, 5],
                                   pool.c_proj(pool.v_proj(tok)))
    with pytest.raises(ValueError, match='dense_mode'):
        CLIPResNet(**SMALL_IMG, dense_mode='mean')


def test_pos_embed_interpolation():
    enc = small_image_encoder()
    pos = enc.visual.attnpool.positional_embedding
    assert enc.interpolate_pos_embed(7, 7) is pos
    resized = enc.interpolate_pos_embed(3, 5)
    assert resized.shape == (1 + 15, pos.shape[1])
    torch.testing.assert_close(resized[0], pos[0])  # mean-token position


def test_embed_gradients():
    enc = small_image_encoder().train()
    c5 = torch.rand(1, 256, 3, 4, requires_grad=True)
    glob, dense = enc.embed(c5)
    (glob.sum() + dense.sum()).backward()
    assert c5.grad is not None and c5.grad.abs().sum() > 0
    assert enc.visual.attnpool.positional_embedding.grad is not None


def test_default_rn50_sizes():
    start = time.time()
    enc = CLIPResNet().eval()
    assert enc.out_channels == [256, 512, 1024, 2048]
    assert enc.visual.attnpool.positional_embedding.shape == (50, 2048)
    assert enc.visual.attnpool.c_proj.out_features == 1024
    with torch.no_grad():
        outs = enc(torch.rand(1, 3, 64, 96))
        glob, dense = enc.embed(outs[-1])
    assert [tuple(o.shape[1:]) for o in outs] == [(256, 16, 24),
                                                  (512, 8, 12),
                                                  (1024, 4, 6),
                                                  (2048, 2, 3)]
    assert glob.shape == (1, 1024) and dense.shape == (1, 1024, 2, 3)
    assert time.time() - start < 10


def test_text_encoder_truncated_length_and_leading_dims():
    torch.manual_seed(0)
    enc = CLIPTextEncoder(**SMALL_TXT)
    emb = torch.randn(2, 3, 9, 32)
    out = enc(emb, 8)
    assert out.shape == (2, 3, 32)
    eot = torch.tensor([4, 8, 6])  # per prompt, broadcast over the batch
    out2 = enc(emb, eot)
    assert out2.shape == (2, 3, 32)
    torch.testing.assert_close(out2[:, 1], out[:, 1])
    # causal: the feature at position 4 ignores later tokens
    emb_changed = emb.clone()
    emb_changed[..., 5:, :] += 1.0
    torch.testing.assert_close(enc(emb_changed, 4), enc(emb, 4))
    # per-sequence eot indices, and an unbatched sequence
    eot_full = torch.randint(0, 9, (2, 3))
    out3 = enc(emb, eot_full)
    torch.testing.assert_close(out3[1, 2],
                               enc(emb[1, 2], int(eot_full[1, 2])))
    with pytest.raises(ValueError):
        enc(torch.randn(1, 21, 32), 0)


def test_text_encoder_gradient_reaches_inputs():
    torch.manual_seed(0)
    enc = CLIPTextEncoder(**SMALL_TXT)
    assert all(p.requires_grad for p in enc.parameters())
    ctx = torch.randn(4, 32, requires_grad=True)  # learnable context
    tokens = torch.randint(1, 99, (3, 10))
    tokens[:, -1] = 99
    emb = enc.embed_tokens(tokens)
    emb = torch.cat([emb[:, :1], ctx.expand(3, -1, -1), emb[:, 1:]], dim=1)
    out = enc(emb, torch.full((3, ), 13))
    out.pow(2).sum().backward()
    assert ctx.grad is not None and ctx.grad.abs().sum() > 0
    assert enc.text_projection.grad is not None


def test_text_encoder_matches_open_clip_encode_text(tmp_path):
    clip = small_clip()
    path = tmp_path / 'small_clip.pth'
    torch.save(clip.state_dict(), path)
    img_enc = CLIPResNet(**SMALL_IMG)
    txt_enc = CLIPTextEncoder(**SMALL_TXT)
    report = load_clip_weights(img_enc, txt_enc, path)
    assert report.ok
    img_enc.eval()
    txt_enc.eval()

    torch.manual_seed(2)
    tokens = torch.randint(1, 98, (3, 20))
    tokens[0, 7] = 99  # EOT = highest id
    tokens[1, 19] = 99
    tokens[2, 0] = 99
    with torch.no_grad():
        ref = clip.encode_text(tokens)
        out = txt_enc(txt_enc.embed_tokens(tokens), tokens.argmax(-1))
        out_tok = txt_enc.encode_tokens(tokens)
        x = torch.rand(2, 3, 224, 224)
        img_ref = clip.encode_image(x)
        glob, _ = img_enc.embed(img_enc(x)[-1])
    torch.testing.assert_close(out, ref, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(out_tok, ref, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(glob, img_ref, rtol=1e-4, atol=1e-5)

    # a truncated sequence equals the full one at an EOT before the cut
    with torch.no_grad():
        short = txt_enc(txt_enc.embed_tokens(tokens[:1, :8]), 7)
    torch.testing.assert_close(short, ref[:1], rtol=1e-4, atol=1e-5)
