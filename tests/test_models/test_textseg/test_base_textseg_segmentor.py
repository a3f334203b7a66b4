"""BaseTextSegmentor: the mode switch and the shared postprocess."""
import pytest
import torch
from mmengine.structures import PixelData

from mmtextknow.models.textseg import BaseTextSegmentor
from mmtextknow.structures import TextSegDataSample


class _ConstSegmentor(BaseTextSegmentor):
    """Predicts a fixed probability map (the inputs' first channel)."""

    def extract_feat(self, inputs):
        return inputs

    def _forward(self, inputs, data_samples=None):
        return inputs[:, :1]

    def loss(self, inputs, data_samples):
        return dict(loss=inputs.sum() * 0)

    def predict(self, inputs, data_samples):
        return self.postprocess(self._forward(inputs), data_samples)


def test_postprocess_crops_padding_and_restores_ori_shape():
    # padded batch 8x8; the image is the top-left 4x6, at ori size 8x12
    probs = torch.zeros(1, 1, 8, 8)
    probs[0, 0, :4, :6] = torch.tensor([[0.9, 0.9, 0.9, 0.1, 0.1, 0.1]] * 4)
    probs[0, 0, 4:, :] = 1.0  # padding: must not leak into the prediction
    probs[0, 0, :, 6:] = 1.0
    sample = TextSegDataSample(
        metainfo=dict(
            img_shape=(4, 6), ori_shape=(8, 12), batch_input_shape=(8, 8)))
    model = _ConstSegmentor()
    (out, ) = model.postprocess(probs, [sample])
    pred = out.pred_pixel_mask
    assert isinstance(pred, PixelData)
    assert pred.shape == (8, 12)
    assert pred.data.dtype == torch.uint8 and pred.prob.dtype == torch.float32
    assert pred.data.shape == pred.prob.shape == (1, 8, 12)
    # left half text, right half background, nothing from the padding
    assert pred.data[0, :, :5].all() and not pred.data[0, :, 7:].any()
    assert pred.prob.max() <= 0.9 + 1e-6
    assert 'pred_polygon_mask' not in out


def test_postprocess_logits_low_resolution_and_polygon_output():
    logits = torch.full((2, 1, 4, 4), -5.)
    logits[1] = 5.
    samples = [
        TextSegDataSample(
            metainfo=dict(
                img_shape=(16, 16), ori_shape=(10, 20),
                batch_input_shape=(16, 16))) for _ in range(2)
    ]
    model = _ConstSegmentor(threshold=0.3)
    outs = model.postprocess(
        logits, samples, polygon_probs=logits, from_logits=True)
    for out, text in zip(outs, (False, True)):
        for field in ('pred_pixel_mask', 'pred_polygon_mask'):
            pred = getattr(out, field)
            assert pred.shape == (10, 20)
            assert bool(pred.data.all()) is text
            assert bool(pred.data.any()) is text


def test_forward_modes():
    model = _ConstSegmentor()
    inputs = torch.rand(1, 3, 8, 8)
    sample = TextSegDataSample(metainfo=dict(img_shape=(8, 8),
                                             ori_shape=(8, 8)))
    assert model(inputs, mode='tensor').shape == (1, 1, 8, 8)
    assert 'loss' in model(inputs, [sample], mode='loss')
    assert model(inputs, [sample], mode='predict')[0].pred_pixel_mask.shape \
        == (8, 8)
    with pytest.raises(RuntimeError):
        model(inputs, mode='nope')
