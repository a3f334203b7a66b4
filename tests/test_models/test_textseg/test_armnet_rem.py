"""ARM-Net's REM: the recognizer's attention map lands at the words, the
U-Net and eq. (6), the frozen recognizer stays out of the model."""
import math

import pytest
import torch
from mmengine.model import ImgDataPreprocessor
from mmengine.structures import InstanceData
from torch import nn

import mmtextknow  # noqa: F401  (registers the models)
from mmtextknow.models.textseg.armnet import (ARMNetAttentionUNet, ARMNetREM,
                                              ARMNetTextAttention,
                                              RecognizerTextAttention,
                                              ignore_weight, paste_word_maps,
                                              word_rois)
from mmtextknow.structures import TextSegDataSample


class FakeRecognizer(nn.Module):
    """Returns given attention maps and records the crops it was given."""

    def __init__(self, maps: torch.Tensor, **preprocessor) -> None:
        super().__init__()
        self.maps = maps
        self.weight = nn.Parameter(torch.ones(1))
        self.data_preprocessor = ImgDataPreprocessor(**preprocessor)
        self.crops = None

    def text_attention_maps(self, inputs: torch.Tensor) -> torch.Tensor:
        self.crops = inputs
        return self.maps[:len(inputs)]


def _sample(boxes, ignored=None) -> TextSegDataSample:
    sample = TextSegDataSample()
    boxes = torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4)
    if ignored is None:
        ignored = [False] * len(boxes)
    sample.gt_instances = InstanceData(
        bboxes=boxes, ignored=torch.tensor(ignored, dtype=torch.bool))
    return sample


def test_word_rois_split_readable_and_ignored_words():
    samples = [
        _sample([[0, 0, 8, 4], [4, 4, 4, 9]]),  # second box has no area
        TextSegDataSample(),  # no words
        _sample([[1, 2, 3, 4], [5, 6, 7, 8]], ignored=[True, False]),
    ]
    rois = word_rois(samples, torch.device('cpu'))
    assert rois.tolist() == [[0, 0, 0, 8, 4], [2, 5, 6, 7, 8]]
    assert word_rois(samples, torch.device('cpu'),
                     ignored=True).tolist() == [[2, 1, 2, 3, 4]]
    assert word_rois([TextSegDataSample()], torch.device('cpu')).shape == (0,
                                                                            5)


def test_paste_word_maps_lands_at_the_boxes():
    # A 2 x 4 map whose left half is 1: on a stride-4 canvas the box
    # (8, 16)-(40, 32) covers columns 2..9 and rows 4..7.
    word_map = torch.zeros(2, 4)
    word_map[:, :2] = 1.
    rois = torch.tensor([[1., 8., 16., 40., 32.]])
    canvas = paste_word_maps(word_map[None], rois, 2, (12, 16), 0.25)
    assert canvas.shape == (2, 1, 12, 16)
    assert canvas[0].sum() == 0  # batch index 1 only
    box = canvas[1, 0, 4:8, 2:10]
    assert (canvas[1, 0].sum() - box.sum()).abs() < 1e-6  # nothing outside
    assert torch.allclose(box[:, :3], torch.ones(4, 3))  # left part text
    assert torch.allclose(box[:, -3:], torch.zeros(4, 3))  # right part not
    assert box[:, :4].sum() > box[:, 4:].sum()


def test_paste_word_maps_takes_the_maximum_and_clips():
    maps = torch.stack([torch.full((2, 2), 0.3), torch.full((2, 2), 0.8)])
    rois = torch.tensor([[0., 0., 0., 8., 8.], [0., 4., 4., 40., 40.]])
    canvas = paste_word_maps(maps, rois, 1, (5, 5), 0.5)[0, 0]
    assert torch.allclose(canvas[0, 0], torch.tensor(0.3))
    assert torch.allclose(canvas[2:4, 2:4], torch.full((2, 2), 0.8))
    assert torch.allclose(canvas[4, 4], torch.tensor(0.8))  # clipped box
    # a box smaller than a canvas pixel still marks one pixel
    tiny = paste_word_maps(
        torch.ones(1, 2, 2), torch.tensor([[0., 5., 5., 5.5, 5.5]]), 1,
        (5, 5), 0.5)[0, 0]
    assert tiny.sum() == 1 and tiny[2, 2] == 1


def test_ignore_weight_is_zero_in_ignored_boxes_only():
    samples = [_sample([[0, 0, 8, 8], [8, 8, 16, 16]], ignored=[False, True])]
    weight = ignore_weight(samples, (4, 4), 0.25, torch.device('cpu'))
    expected = torch.ones(4, 4)
    expected[2:4, 2:4] = 0
    assert torch.equal(weight[0, 0], expected)


def _rem_with_fake(maps, **preprocessor):
    rem = ARMNetREM(8, recognizer=dict(model=dict(type='unused')))
    fake = FakeRecognizer(maps, **preprocessor)
    rem.text_attention._recognizer = fake
    return rem, fake


def test_target_from_known_attention_maps():
    # The segmentor normalises with mean 100 / std 50 and converts BGR to
    # RGB; the recognizer with mean 0 / std 255 and no conversion.
    seg_pp = ImgDataPreprocessor(
        mean=[100, 100, 100], std=[50, 50, 50], bgr_to_rgb=True)
    maps = torch.zeros(1, 3, 2, 4)
    maps[0, 0, :, 0] = 0.5  # step 1 reads the left end of the word
    maps[0, 1, :, 0] = 0.5
    rem, fake = _rem_with_fake(maps, mean=[0, 0, 0], std=[255, 255, 255])
    pixels = torch.zeros(1, 3, 32, 64)
    pixels[:, 0, 4:28, 8:56] = 200.  # around the word, red channel (RGB)
    inputs = (pixels - 100.) / 50.
    sample = _sample([[16, 8, 48, 24]])
    target, weight = rem.text_attention_target(inputs, [sample], (8, 16),
                                               seg_pp)
    # crops: 32 x 128, back to pixels, channel order flipped for the
    # recognizer (it expects the loaded BGR order), normalised by 255
    assert fake.crops.shape == (1, 3, 32, 128)
    assert torch.allclose(fake.crops[0, 2], torch.full((32, 128), 200 / 255),
                          atol=1e-5)
    assert torch.allclose(fake.crops[0, :2], torch.zeros(2, 32, 128))
    # summed steps (1.0 in column 0, max 1) pasted at rows 2..5, cols 4..11
    assert target.shape == weight.shape == (1, 1, 8, 16)
    assert torch.equal(weight, torch.ones_like(weight))
    assert target.max() == 1.
    text = target[0, 0].nonzero()
    assert text[:, 0].min() >= 2 and text[:, 0].max() <= 5
    assert text[:, 1].min() == 4 and text[:, 1].max() <= 6  # left end only


def test_target_without_words_is_black():
    rem, _ = _rem_with_fake(torch.zeros(0, 2, 2, 4))
    target, weight = rem.text_attention_target(
        torch.zeros(2, 3, 16, 16), [TextSegDataSample()] * 2, (4, 4),
        ImgDataPreprocessor())
    assert target.shape == (2, 1, 4, 4) and target.sum() == 0
    assert weight.sum() == 32


def test_unet_and_attention_shapes():
    feats = torch.randn(2, 8, 13, 17)
    unet = ARMNetAttentionUNet(8, base_channels=4, num_levels=3)
    assert unet(feats).shape == (2, 1, 13, 17)
    attention = ARMNetTextAttention(8, key_channels=4, kv_stride=4)
    assert attention(feats, torch.rand(2, 1, 13, 17)).shape == feats.shape
    with pytest.raises(ValueError, match='num_levels'):
        ARMNetAttentionUNet(8, num_levels=0)
    with pytest.raises(ValueError, match='kv_stride'):
        ARMNetTextAttention(8, kv_stride=0)


def test_text_attention_is_eq6_with_a_residual():
    torch.manual_seed(0)
    attention = ARMNetTextAttention(6, key_channels=4, kv_stride=1)
    feats = torch.randn(1, 6, 3, 5)
    amap = torch.rand(1, 1, 3, 5)
    query = attention.query(amap)[0].flatten(1)  # 4 x 15
    key = attention.key(feats)[0].flatten(1)
    value = attention.value(feats)[0].flatten(1)  # 6 x 15
    expected = torch.empty(6, 15)
    for p in range(15):  # each position: softmax over all positions
        scores = (query[:, p:p + 1] * key).sum(0) / math.sqrt(4)
        expected[:, p] = (value * scores.softmax(0)).sum(1)
    out = attention(feats, amap)
    torch.testing.assert_close(out - feats, expected.reshape(1, 6, 3, 5))


def test_rem_forward_uses_the_given_map_or_the_unet():
    rem = ARMNetREM(8, unet=dict(base_channels=4), attention=dict(
        key_channels=4))
    feats = torch.randn(1, 8, 8, 8)
    out_pred, logits = rem(feats)
    out_ones, logits2 = rem(feats, torch.ones(1, 1, 8, 8))
    assert logits.shape == (1, 1, 8, 8) and torch.equal(logits, logits2)
    assert not torch.allclose(out_pred, out_ones)
    torch.testing.assert_close(out_pred, rem(feats, logits.sigmoid())[0])


def test_rem_loss_is_weighted_l1():
    rem = ARMNetREM(8, loss_weight=2.)
    logits = torch.zeros(1, 1, 2, 2)  # prediction 0.5 everywhere
    target = torch.tensor([[[[1., 0.], [0.5, 1.]]]])
    weight = torch.tensor([[[[1., 1.], [1., 0.]]]])
    assert torch.isclose(rem.loss(logits, target, weight),
                         torch.tensor(2. * (0.5 + 0.5 + 0.) / 3))


def test_rem_without_recognizer_cannot_train():
    rem = ARMNetREM(8)
    with pytest.raises(RuntimeError, match='recognizer=None'):
        rem.text_attention_target(torch.zeros(1, 3, 8, 8),
                                  [TextSegDataSample()], (2, 2),
                                  ImgDataPreprocessor())


def test_recognizer_files_are_checked_on_first_use(tmp_path):
    missing = tmp_path / 'dan.pth'
    text_attention = RecognizerTextAttention(
        model=dict(type='DANRecognizer'), checkpoint=str(missing))
    with pytest.raises(FileNotFoundError, match='dan.pth: REM recognizer'):
        text_attention.recognizer
    with pytest.raises(ValueError, match='exactly one'):
        RecognizerTextAttention()


def test_recognizer_must_expose_attention_maps():
    text_attention = RecognizerTextAttention(
        model=dict(type='mmdet.ResNet', depth=18))
    with pytest.raises(TypeError, match='text_attention_maps'):
        text_attention.recognizer
