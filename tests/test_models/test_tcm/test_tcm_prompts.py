# Copyright (c) mmtextknow contributors. All rights reserved.
"""Tests of TCM's text prompt, prompt generators and context decoder."""
import pytest
import torch
import torch.nn as nn
from mmocr.registry import MODELS

from mmtextknow.models.textdet.tcm.prompt_decoder import (PromptDecoder,
                                                          PromptDecoderLayer)
from mmtextknow.models.textdet.tcm.prompt_generators import (
    ContextDecoder, LanguagePromptGenerator, VisualPromptGenerator)
from mmtextknow.models.textdet.tcm.text_prompt import (DEFAULT_TCM_PROMPT,
                                                       TCMTextPrompt)

SOT, EOT = 49406, 49407
WIDTH = 32


@pytest.fixture
def token_embedding():
    torch.manual_seed(0)
    return nn.Embedding(49408, WIDTH)


def test_default_prompt_tokens():
    prompt = TCMTextPrompt(width=WIDTH)
    assert prompt.predefined_prompt == DEFAULT_TCM_PROMPT
    assert prompt.num_prompt_tokens == 14
    assert prompt.tokens.shape == (1, 14)
    assert prompt.tokens[0, 0] == SOT and prompt.tokens[0, -1] == EOT
    assert prompt.length == 18 and prompt.eot_index == 17
    assert prompt.context.shape == (4, WIDTH)
    # non-persistent buffer: not in the checkpoint
    assert 'tokens' not in prompt.state_dict()
    # the authors' initialisation: trunc-normal, std 1, cut at +-2
    assert prompt.context.abs().max() <= 2.0


def test_context_initialisation_scale():
    torch.manual_seed(0)
    prompt = TCMTextPrompt(width=512, num_context_tokens=32)
    values = prompt.context.detach()
    # a standard normal truncated at +-2 has std 0.880
    assert 0.85 < values.std().item() < 0.91
    assert values.abs().max() <= 2.0
    small = TCMTextPrompt(width=512, num_context_tokens=32, context_std=0.02)
    assert small.context.abs().max() <= 0.04
    with pytest.raises(ValueError, match='context_std'):
        TCMTextPrompt(context_std=0.)


@pytest.mark.parametrize('n', [1, 4, 32])
def test_prompt_layout(token_embedding, n):
    prompt = TCMTextPrompt(width=WIDTH, num_context_tokens=n)
    out = prompt(token_embedding)
    assert prompt.length == 14 + n
    assert out.shape == (1, 14 + n, WIDTH)
    expected = token_embedding(prompt.tokens)[0]
    torch.testing.assert_close(out[0, 0], expected[0])
    torch.testing.assert_close(out[0, 1:n + 1], prompt.context)
    torch.testing.assert_close(out[0, n + 1:], expected[1:])
    assert prompt.eot_index == 13 + n


def test_learnable_only_prompt(token_embedding):
    prompt = TCMTextPrompt(width=WIDTH, num_context_tokens=5,
                           predefined_prompt=None)
    assert prompt.tokens.tolist() == [[SOT, EOT]]
    assert prompt.length == 7 and prompt.eot_index == 6
    out = prompt(token_embedding)
    assert out.shape == (1, 7, WIDTH)
    torch.testing.assert_close(out[0, 1:6], prompt.context)
    torch.testing.assert_close(out[0, 6], token_embedding.weight[EOT])


def test_predefined_only_prompt(token_embedding):
    prompt = TCMTextPrompt(width=WIDTH, num_context_tokens=0)
    assert prompt.context is None and prompt.length == 14
    out = prompt(token_embedding)
    torch.testing.assert_close(out[0], token_embedding(prompt.tokens)[0])


def test_prompt_needs_something():
    with pytest.raises(ValueError, match='context tokens'):
        TCMTextPrompt(num_context_tokens=0, predefined_prompt=None)
    with pytest.raises(ValueError):
        TCMTextPrompt(num_context_tokens=0, predefined_prompt='  ')
    with pytest.raises(ValueError):
        TCMTextPrompt(num_context_tokens=-1)
    with pytest.raises(ValueError):
        TCMTextPrompt(num_context_tokens=70)  # 14 + 70 > 77


def test_language_prompt_added_to_every_token(token_embedding):
    prompt = TCMTextPrompt(width=WIDTH, num_context_tokens=4)
    language = torch.randn(3, WIDTH)
    base = prompt(token_embedding)
    out = prompt(token_embedding, language)
    assert out.shape == (3, 18, WIDTH)
    torch.testing.assert_close(out, base + language[:, None, :])
    with pytest.raises(ValueError):
        prompt(token_embedding, torch.randn(3, WIDTH + 1))
    with pytest.raises(ValueError):
        prompt(nn.Embedding(49408, WIDTH + 1))


def test_prompt_gradients(token_embedding):
    prompt = TCMTextPrompt(width=WIDTH, num_context_tokens=4)
    language = torch.randn(2, WIDTH, requires_grad=True)
    out = prompt(token_embedding, language)
    (out**2).sum().backward()
    assert prompt.context.grad is not None
    assert prompt.context.grad.abs().sum() > 0
    assert language.grad is not None and language.grad.abs().sum() > 0
    # the frozen embedding table gets no gradient by default
    assert token_embedding.weight.grad is None

    prompt = TCMTextPrompt(width=WIDTH, freeze_token_embedding=False)
    prompt(token_embedding).sum().backward()
    assert token_embedding.weight.grad is not None


def test_registry_builds_all():
    for cfg in [
            dict(type='TCMTextPrompt', width=WIDTH),
            dict(type='LanguagePromptGenerator', in_channels=32,
                 hidden_channels=32, out_channels=16),
            dict(type='VisualPromptGenerator', in_channels=32, channels=16),
            dict(type='ContextDecoder', in_channels=32, channels=16),
            dict(type='PromptDecoder', in_channels=32, channels=16),
            dict(type='PromptDecoderLayer', embed_dims=16),
    ]:
        assert MODELS.build(cfg).__class__.__name__ == cfg['type']


def test_language_prompt_generator():
    gen = LanguagePromptGenerator(in_channels=32, hidden_channels=24,
                                  out_channels=16)
    kinds = [type(m) for m in gen.layers]
    assert kinds == [nn.LayerNorm, nn.Linear, nn.ReLU, nn.LayerNorm,
                     nn.Linear]
    x = torch.randn(3, 32, requires_grad=True)
    out = gen(x)
    assert out.shape == (3, 16)
    out.sum().backward()
    assert x.grad is not None


def test_language_prompt_generator_initialisation():
    torch.manual_seed(0)
    gen = LanguagePromptGenerator()
    for layer in gen.layers:
        if isinstance(layer, nn.Linear):
            assert not layer.bias.any()
            assert 0.018 < layer.weight.std().item() < 0.022


def test_prompt_attention_without_qkv_bias_or_attention_dropout():
    torch.manual_seed(0)
    layer = PromptDecoderLayer(16, num_heads=4)
    for attn in (layer.self_attn, layer.cross_attn):
        assert attn.q_proj.bias is None and attn.k_proj.bias is None
        assert attn.v_proj.bias is None and attn.out_proj.bias is not None
        assert attn.attn_dropout == 0
    attn = layer.cross_attn
    query, memory = torch.randn(2, 5, 16), torch.randn(2, 7, 16)
    # softmax(q k^T / sqrt(d)) v per head, written out
    q = (query @ attn.q_proj.weight.T).reshape(2, 5, 4, 4).transpose(1, 2)
    k = (memory @ attn.k_proj.weight.T).reshape(2, 7, 4, 4).transpose(1, 2)
    v = (memory @ attn.v_proj.weight.T).reshape(2, 7, 4, 4).transpose(1, 2)
    heads = torch.softmax(q @ k.transpose(-1, -2) / 2.0, -1) @ v
    expected = attn.out_proj(heads.transpose(1, 2).reshape(2, 5, 16))
    torch.testing.assert_close(attn(query, memory), expected)
    # no dropout at all: training is deterministic
    layer = PromptDecoderLayer(16, num_heads=4, dropout=0.).train()
    torch.testing.assert_close(layer(query, memory), layer(query, memory))
    noisy = PromptDecoderLayer(16, num_heads=4, dropout=0.,
                               attn_dropout=0.5, qkv_bias=True).train()
    assert noisy.self_attn.q_proj.bias is not None
    assert not torch.allclose(noisy(query, memory), noisy(query, memory))


def test_prompt_decoder_shapes():
    layer = PromptDecoderLayer(16, num_heads=4)
    assert layer(torch.randn(2, 5, 16), torch.randn(2, 7, 16)).shape == \
        (2, 5, 16)
    dec = PromptDecoder(in_channels=32, channels=16, num_layers=2,
                        num_heads=4)
    assert len(dec.layers) == 2
    assert dec(torch.randn(2, 5, 32), torch.randn(2, 7, 32)).shape == \
        (2, 5, 32)
    with pytest.raises(ValueError):
        PromptDecoderLayer(18, num_heads=4)


def test_visual_prompt_generator():
    torch.manual_seed(0)
    gen = VisualPromptGenerator(in_channels=32, channels=16, num_layers=3,
                                num_heads=4)
    assert gen.vis_gamma.dim() == 0
    assert gen.vis_gamma.item() == pytest.approx(1e-3)
    assert len(gen.decoder.layers) == 3
    dense = torch.randn(2, 32, 4, 5, requires_grad=True)
    text = torch.randn(2, 1, 32)
    out = gen(dense, text)
    assert out.shape == dense.shape
    # residual with a tiny gamma: almost the input at init
    assert (out - dense).abs().max() < 0.05
    # the update is exactly vis_gamma * decoder output
    gen.eval()
    dec = gen.decoder(dense.flatten(2).transpose(1, 2), text)
    torch.testing.assert_close(
        gen(dense, text) - dense,
        1e-3 * dec.transpose(1, 2).reshape(2, 32, 4, 5),
        rtol=1e-4, atol=1e-6)
    gen.train()
    gen(dense, text).sum().backward()
    assert gen.vis_gamma.grad is not None and gen.vis_gamma.grad != 0
    assert dense.grad is not None
    # a text shared by the batch (K x D)
    assert gen(dense, torch.randn(1, 32)).shape == dense.shape


def test_context_decoder():
    torch.manual_seed(0)
    dec = ContextDecoder(in_channels=32, channels=16, gamma_init=1e-3)
    assert dec.gamma.shape == (32, )
    torch.testing.assert_close(dec.gamma.data, torch.full((32, ), 1e-3))
    text = torch.randn(2, 1, 32, requires_grad=True)
    glob = torch.randn(2, 32, requires_grad=True)
    dense = torch.randn(2, 32, 3, 4, requires_grad=True)
    out = dec(text, glob, dense)
    assert out.shape == (2, 1, 32)
    assert (out - text).abs().max() < 0.05
    out.sum().backward()
    assert dec.gamma.grad is not None and dec.gamma.grad.abs().sum() > 0
    assert glob.grad is not None and glob.grad.abs().sum() > 0
    assert dense.grad is not None and dense.grad.abs().sum() > 0
    # the memory is [global; pixels]: changing the global embedding matters
    dec.eval()
    with torch.no_grad():
        a = dec(text, glob, dense)
        # (not glob + 1: LayerNorm would remove a constant shift)
        b = dec(text, torch.randn_like(glob), dense)
    assert ((a - text) - (b - text)).abs().max() > 1e-6
    assert dec(torch.randn(1, 32), glob, dense).shape == (2, 1, 32)
