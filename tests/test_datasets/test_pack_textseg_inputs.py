"""PackTextSegInputs builds TextSegDataSamples."""
import numpy as np
import pytest
import torch
from mmengine.structures import PixelData

from mmtextknow.datasets.transforms import PackTextSegInputs
from mmtextknow.structures import TextSegDataSample


def _results(**extra) -> dict:
    img = np.random.randint(0, 255, (20, 30, 3), dtype=np.uint8)
    results = dict(
        img=img,
        img_path='a.jpg',
        ori_shape=(40, 60),
        img_shape=(20, 30),
        scale_factor=(0.5, 0.5))
    results.update(extra)
    return results


def test_pack_with_both_masks():
    pixel = (np.random.rand(20, 30) > 0.5).astype(np.uint8)
    polygon = np.ones((20, 30), np.uint8)
    results = _results(
        gt_pixel_mask=pixel,
        gt_polygon_mask=polygon,
        has_pixel_mask=True,
        has_polygon_mask=True)
    packed = PackTextSegInputs()(results)
    inputs, sample = packed['inputs'], packed['data_samples']
    assert inputs.dtype == torch.uint8 and inputs.shape == (3, 20, 30)
    torch.testing.assert_close(inputs, torch.from_numpy(
        results['img']).permute(2, 0, 1))
    assert isinstance(sample, TextSegDataSample)
    for field, mask in (('gt_pixel_mask', pixel), ('gt_polygon_mask',
                                                   polygon)):
        data = getattr(sample, field)
        assert isinstance(data, PixelData)
        assert data.data.shape == (1, 20, 30)
        assert data.data.dtype == torch.uint8
        np.testing.assert_array_equal(data.data[0].numpy(), mask)
    assert sample.has_pixel_mask is True and sample.has_polygon_mask is True
    assert sample.ori_shape == (40, 60) and sample.img_path == 'a.jpg'
    # meta keys missing from the results are skipped
    assert 'flip' not in sample.metainfo and 'pad_shape' not in sample


def test_pack_without_masks_and_custom_meta_keys():
    img = np.random.randint(0, 255, (20, 30, 3), dtype=np.uint8)[..., ::-1]
    packed = PackTextSegInputs(meta_keys=('img_path', ))(_results(img=img))
    sample = packed['data_samples']
    assert packed['inputs'].is_contiguous()
    assert packed['inputs'].shape == (3, 20, 30)
    assert 'gt_pixel_mask' not in sample and 'gt_polygon_mask' not in sample
    assert sample.has_pixel_mask is False
    assert sample.has_polygon_mask is False
    assert set(sample.metainfo) == {'img_path', 'has_pixel_mask',
                                    'has_polygon_mask'}


def test_pack_grey_image_and_flag_only_mask():
    polygon = np.zeros((20, 30), np.uint8)
    packed = PackTextSegInputs()(
        _results(
            img=np.zeros((20, 30), np.uint8),
            gt_polygon_mask=polygon,
            has_polygon_mask=False))
    assert packed['inputs'].shape == (1, 20, 30)
    sample = packed['data_samples']
    assert 'gt_polygon_mask' in sample and sample.has_polygon_mask is False
    assert 'PackTextSegInputs' in repr(PackTextSegInputs())


def test_pack_word_boxes_as_instances():
    bboxes = np.array([[1, 2, 10, 8], [5, 5, 25, 15]], np.float32)
    results = _results(gt_bboxes=bboxes, gt_ignored=np.array([False, True]))
    sample = PackTextSegInputs()(results)['data_samples']
    torch.testing.assert_close(sample.gt_instances.bboxes,
                               torch.from_numpy(bboxes))
    assert sample.gt_instances.ignored.tolist() == [False, True]


def test_pack_boxes_without_ignore_flags_and_mismatch():
    bboxes = np.zeros((3, 4), np.float32)
    sample = PackTextSegInputs()(_results(gt_bboxes=bboxes))['data_samples']
    assert sample.gt_instances.ignored.tolist() == [False] * 3
    # no boxes in the results: no instances
    assert 'gt_instances' not in PackTextSegInputs()(
        _results())['data_samples']
    with pytest.raises(ValueError, match='a.jpg: 3 gt_bboxes but 1'):
        PackTextSegInputs()(
            _results(gt_bboxes=bboxes, gt_ignored=np.array([True])))
