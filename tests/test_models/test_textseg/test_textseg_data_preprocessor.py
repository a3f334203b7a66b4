"""TextSegDataPreprocessor pads images and training masks consistently."""
import pytest
import torch
from mmengine.structures import PixelData

from mmtextknow.models.textseg import TextSegDataPreprocessor
from mmtextknow.structures import TextSegDataSample


def _sample(h: int, w: int, with_polygon: bool = True) -> tuple:
    img = torch.randint(0, 255, (3, h, w), dtype=torch.uint8)
    sample = TextSegDataSample(
        metainfo=dict(img_shape=(h, w), ori_shape=(h, w)))
    sample.gt_pixel_mask = PixelData(
        data=torch.ones(1, h, w, dtype=torch.uint8))
    if with_polygon:
        sample.gt_polygon_mask = PixelData(
            data=torch.ones(1, h, w, dtype=torch.uint8))
    return img, sample


def _batch(*shapes, with_polygon=(True, False)):
    pairs = [_sample(h, w, p) for (h, w), p in zip(shapes, with_polygon)]
    return dict(
        inputs=[p[0] for p in pairs], data_samples=[p[1] for p in pairs])


def test_pads_images_and_masks_in_training():
    preprocessor = TextSegDataPreprocessor(
        mean=[0., 0., 0.], std=[1., 1., 1.], bgr_to_rgb=True,
        pad_size_divisor=32)
    data = preprocessor(_batch((40, 50), (30, 70)), training=True)
    inputs, samples = data['inputs'], data['data_samples']
    assert inputs.shape == (2, 3, 64, 96) and inputs.dtype == torch.float32
    for idx, (img_hw, sample) in enumerate(zip([(40, 50), (30, 70)],
                                               samples)):
        assert sample.batch_input_shape == (64, 96)
        assert sample.pad_shape == (64, 96)
        mask = sample.gt_pixel_mask.data
        assert mask.shape == (1, 64, 96) and mask.dtype == torch.uint8
        # text where the image is, zero padding on the bottom/right only
        assert mask[:, :img_hw[0], :img_hw[1]].all()
        assert mask.sum() == img_hw[0] * img_hw[1]
        # the padded image is zero exactly where the mask was padded
        padded = torch.ones(64, 96, dtype=torch.bool)
        padded[:img_hw[0], :img_hw[1]] = False
        assert not inputs[idx][:, padded].any()
    assert samples[0].gt_polygon_mask.shape == (64, 96)
    assert 'gt_polygon_mask' not in samples[1]


def test_keeps_test_masks_at_their_size():
    preprocessor = TextSegDataPreprocessor(pad_size_divisor=32)
    data = preprocessor(_batch((40, 50), (30, 70)), training=False)
    sample = data['data_samples'][0]
    assert sample.batch_input_shape == (64, 96)
    assert sample.gt_pixel_mask.shape == (40, 50)


def test_rejects_training_masks_not_aligned_with_the_image():
    batch = _batch((40, 50), (30, 70))
    batch['data_samples'][0].gt_pixel_mask = PixelData(
        data=torch.ones(1, 20, 25, dtype=torch.uint8))
    with pytest.raises(ValueError, match='gt_pixel_mask'):
        TextSegDataPreprocessor()(batch, training=True)
