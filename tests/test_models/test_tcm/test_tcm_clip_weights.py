# Copyright (c) mmtextknow contributors. All rights reserved.
"""Loading CLIP weights (torch.save state dicts, TorchScript archives) into
TCM's CLIP encoders, and its failure modes.
"""
import pytest
import torch
from open_clip.model import CLIP, CLIPTextCfg, CLIPVisionCfg

from mmtextknow.models.textdet.tcm.clip_image_encoder import CLIPResNet
from mmtextknow.models.textdet.tcm.clip_text_encoder import CLIPTextEncoder
from mmtextknow.models.textdet.tcm.clip_weights import (ClipLoadReport,
                                                        load_clip_state_dict,
                                                        load_clip_weights)

IMG = dict(layers=(1, 1, 1, 1), width=8, embed_dim=32, heads=2)
TXT = dict(
    context_length=20, vocab_size=100, width=32, heads=2, layers=2,
    embed_dim=32)


def make_clip():
    torch.manual_seed(3)
    clip = CLIP(
        32,
        CLIPVisionCfg(
            layers=(1, 1, 1, 1), width=8, head_width=128, image_size=224),
        CLIPTextCfg(
            context_length=20, vocab_size=100, width=32, heads=2, layers=2),
        quick_gelu=True)
    with torch.no_grad():  # non-default values everywhere (BN stats too)
        for value in clip.state_dict().values():
            if value.is_floating_point():
                value.normal_(0, 0.1)
    return clip


def encoders():
    torch.manual_seed(4)
    return CLIPResNet(**IMG), CLIPTextEncoder(**TXT)


def assert_all_equal(img_enc, txt_enc, file_sd):
    for key, value in img_enc.state_dict().items():
        assert torch.equal(value, file_sd[key]), key
    for key, value in txt_enc.state_dict().items():
        assert torch.equal(value, file_sd[key]), key


class _ScriptableCLIP(torch.nn.Module):
    """OpenAI-archive lookalike: CLIP's modules plus non-weight buffers."""

    def __init__(self, clip):
        super().__init__()
        for name, module in clip.named_children():
            setattr(self, name, module)
        self.positional_embedding = clip.positional_embedding
        self.text_projection = clip.text_projection
        self.logit_scale = clip.logit_scale
        self.register_buffer('input_resolution', torch.tensor(224))
        self.register_buffer('context_length', torch.tensor(20))
        self.register_buffer('vocab_size', torch.tensor(100))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.logit_scale.exp()


def test_state_dict_file_loads_everything(tmp_path):
    clip = make_clip()
    path = tmp_path / 'clip.pth'
    torch.save(clip.state_dict(), path)
    img_enc, txt_enc = encoders()
    report = load_clip_weights(img_enc, txt_enc, path)
    assert isinstance(report, ClipLoadReport)
    assert report.missing == [] and report.mismatched == []
    assert report.unexpected == ['logit_scale']
    expected = set(img_enc.state_dict()) | set(txt_enc.state_dict())
    assert set(report.loaded) == expected
    assert_all_equal(img_enc, txt_enc, clip.state_dict())
    assert '0 missing' in report.summary() and str(path) in report.summary()


def test_nested_and_module_prefixed_state_dict(tmp_path):
    clip = make_clip()
    path = tmp_path / 'ddp.pth'
    nested = {'module.' + k: v for k, v in clip.state_dict().items()}
    torch.save({'epoch': 3, 'state_dict': nested}, path)
    sd = load_clip_state_dict(path)
    assert 'visual.conv1.weight' in sd and 'token_embedding.weight' in sd
    img_enc, txt_enc = encoders()
    load_clip_weights(img_enc, txt_enc, path)
    assert_all_equal(img_enc, txt_enc, clip.state_dict())


@pytest.mark.filterwarnings('ignore::FutureWarning')
def test_torchscript_archive_loads_the_same(tmp_path):
    clip = make_clip()
    path = tmp_path / 'RN_small.pt'
    scripted = torch.jit.script(_ScriptableCLIP(clip))
    torch.jit.save(scripted, str(path))
    sd = load_clip_state_dict(path)
    for key in ('input_resolution', 'context_length', 'vocab_size'):
        assert key not in sd
    assert set(sd) == set(clip.state_dict())
    img_enc, txt_enc = encoders()
    report = load_clip_weights(img_enc, txt_enc, path)
    assert report.ok and report.unexpected == ['logit_scale']
    assert_all_equal(img_enc, txt_enc, clip.state_dict())


def test_only_one_encoder(tmp_path):
    clip = make_clip()
    path = tmp_path / 'clip.pth'
    torch.save(clip.state_dict(), path)
    img_enc, _ = encoders()
    report = load_clip_weights(img_enc, None, path)
    assert report.ok
    assert 'token_embedding.weight' in report.unexpected
    assert all(k.startswith('visual.') for k in report.loaded)


def test_missing_text_key_raises_naming_file(tmp_path):
    sd = make_clip().state_dict()
    del sd['ln_final.weight']
    path = tmp_path / 'broken_clip.pth'
    torch.save(sd, path)
    img_enc, txt_enc = encoders()
    with pytest.raises(ValueError, match='broken_clip.pth') as err:
        load_clip_weights(img_enc, txt_enc, path)
    assert 'ln_final.weight' in str(err.value)
    report = load_clip_weights(img_enc, txt_enc, path, strict=False)
    assert report.missing == ['ln_final.weight'] and not report.ok


def test_shape_mismatch_is_reported(tmp_path):
    path = tmp_path / 'clip.pth'
    torch.save(make_clip().state_dict(), path)
    img_enc = CLIPResNet(**IMG)
    txt_enc = CLIPTextEncoder(**dict(TXT, context_length=16))
    before = txt_enc.positional_embedding.detach().clone()
    with pytest.raises(ValueError, match='positional_embedding'):
        load_clip_weights(img_enc, txt_enc, path)
    report = load_clip_weights(img_enc, txt_enc, path, strict=False)
    assert report.mismatched == [('positional_embedding', (20, 32), (16, 32))]
    assert torch.equal(txt_enc.positional_embedding, before)


def test_non_clip_file_raises(tmp_path):
    path = tmp_path / 'resnet.pth'
    torch.save(torch.nn.Conv2d(3, 4, 3).state_dict(), path)
    with pytest.raises(ValueError, match='not a CLIP checkpoint'):
        load_clip_weights(*encoders(), path)
    path2 = tmp_path / 'garbage.pt'
    path2.write_bytes(b'this is not a checkpoint')
    with pytest.raises(ValueError, match='garbage.pt'):
        load_clip_state_dict(path2)


def test_missing_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere.pt'):
        load_clip_weights(*encoders(), tmp_path / 'nowhere.pt')


def test_half_precision_file_loads_into_float_encoders(tmp_path):
    # OpenAI's GPU archives store fp16 weights.
    sd = {
        k: v.half() if v.is_floating_point() else v
        for k, v in make_clip().state_dict().items()
    }
    path = tmp_path / 'clip_fp16.pth'
    torch.save(sd, path)
    img_enc, txt_enc = encoders()
    assert load_clip_weights(img_enc, txt_enc, path).ok
    assert txt_enc.text_projection.dtype == torch.float32
    assert torch.equal(txt_enc.text_projection, sd['text_projection'].float())
    assert torch.equal(img_enc.visual.conv1.weight,
                       sd['visual.conv1.weight'].float())


def test_positional_embedding_resized_to_the_encoders_grid(tmp_path):
    """An encoder made for 320x320 inputs (10x10 grid, as the authors'
    input_resolution) gets CLIP's 7x7 positional embedding resized
    bilinearly, the mean-token row unchanged."""
    import torch.nn.functional as F
    clip = make_clip()
    path = tmp_path / 'clip.pth'
    torch.save(clip.state_dict(), path)
    img_enc = CLIPResNet(**IMG, pretrain_img_size=320)
    report = load_clip_weights(img_enc, None, path)
    key = 'visual.attnpool.positional_embedding'
    assert report.ok and report.resized == [(key, (50, 256), (101, 256))]
    assert 'resized' in report.summary()
    file_pos = clip.state_dict()[key]
    loaded = img_enc.visual.attnpool.positional_embedding.detach()
    torch.testing.assert_close(loaded[0], file_pos[0])
    grid = file_pos[1:].reshape(1, 7, 7, 256).permute(0, 3, 1, 2)
    expected = F.interpolate(grid, size=(10, 10), mode='bilinear',
                             align_corners=False)
    torch.testing.assert_close(
        loaded[1:], expected.permute(0, 2, 3, 1).reshape(100, 256))
    # at its own grid, the encoder uses the loaded table as is
    assert img_enc.interpolate_pos_embed(10, 10) is \
        img_enc.visual.attnpool.positional_embedding
