import numpy as np
import pytest
from PIL import Image

from mmtextknow.datasets import LoadTextMasks
from mmtextknow.utils import DataError


def _results(tmp_path, mask_size=(32, 24), corrupt=False):
    pixel = np.zeros((mask_size[1], mask_size[0]), np.uint8)
    pixel[2:6, 3:9] = 255
    pixel_path = tmp_path / 'pixel.png'
    if corrupt:
        pixel_path.write_bytes(b'not a png')
    else:
        Image.fromarray(pixel).save(pixel_path)
    return dict(img_path=str(tmp_path / 'img.jpg'), ori_shape=(24, 32),
                pixel_mask_path=str(pixel_path), polygon_mask_path=None)


def test_loads_binary_masks_and_flags(tmp_path):
    out = LoadTextMasks()(_results(tmp_path))
    assert out['gt_pixel_mask'].dtype == np.uint8
    assert out['gt_pixel_mask'].sum() == 4 * 6
    assert set(np.unique(out['gt_pixel_mask'])) == {0, 1}
    assert out['has_pixel_mask'] is True
    assert out['has_polygon_mask'] is False
    assert out['gt_polygon_mask'].shape == (24, 32)
    assert not out['gt_polygon_mask'].any()


def test_size_mismatch_names_mask_and_image(tmp_path):
    results = _results(tmp_path, mask_size=(30, 24))
    with pytest.raises(DataError, match='differs from its image') as err:
        LoadTextMasks()(results)
    assert results['pixel_mask_path'] in str(err.value)
    assert results['img_path'] in str(err.value)


def test_missing_and_corrupt_masks(tmp_path):
    results = _results(tmp_path)
    results['pixel_mask_path'] = str(tmp_path / 'nope.png')
    with pytest.raises(DataError, match='mask file not found'):
        LoadTextMasks()(results)
    with pytest.raises(DataError, match='cannot decode mask'):
        LoadTextMasks()(_results(tmp_path, corrupt=True))
