"""The text segmentation augmentations keep image, masks and polygons
aligned."""
import copy
import random

import numpy as np
import pytest

from mmtextknow.datasets.transforms import (RandomGaussianNoise,
                                            RasterizePolygonMask,
                                            TextSegRandomCrop,
                                            TextSegRandomFlip,
                                            TextSegRandomRotate,
                                            TextSegResize)

# Word boxes (x1, y1, x2, y2) of the synthetic sample.
BOXES = [(10, 12, 60, 30), (70, 50, 110, 90), (20, 70, 50, 100)]


def make_results(height: int = 120, width: int = 130) -> dict:
    """A sample whose red channel is the pixel mask and whose green channel
    is the polygon mask, with one polygon per word box."""
    polygon_mask = np.zeros((height, width), np.uint8)
    pixel_mask = np.zeros((height, width), np.uint8)
    polygons = []
    for x1, y1, x2, y2 in BOXES:
        polygon_mask[y1:y2, x1:x2] = 1
        # "strokes": the middle horizontal band of each word
        pixel_mask[y1 + (y2 - y1) // 3:y2 - (y2 - y1) // 3, x1 + 3:x2 - 3] = 1
        polygons.append(
            np.array([x1, y1, x2, y1, x2, y2, x1, y2], dtype=np.float32))
    img = np.zeros((height, width, 3), np.uint8)
    img[..., 2] = pixel_mask * 255  # red (BGR)
    img[..., 1] = polygon_mask * 255  # green
    return dict(
        img=img,
        img_shape=(height, width),
        ori_shape=(height, width),
        gt_pixel_mask=pixel_mask,
        gt_polygon_mask=polygon_mask,
        has_pixel_mask=True,
        has_polygon_mask=True,
        gt_polygons=polygons,
        gt_bboxes=np.array(BOXES, dtype=np.float32),
        gt_bboxes_labels=np.zeros(len(BOXES), dtype=np.int64),
        gt_ignored=np.zeros(len(BOXES), dtype=bool),
        gt_texts=['a', 'b', 'c'])


def mismatch(results: dict) -> float:
    """Fraction of pixels where a mask disagrees with its image channel."""
    img = results['img']
    for key in ('gt_pixel_mask', 'gt_polygon_mask'):
        assert results[key].shape == img.shape[:2]
        assert results[key].dtype == np.uint8
    red = (img[..., 2] > 127).astype(np.uint8)
    green = (img[..., 1] > 127).astype(np.uint8)
    return max((results['gt_pixel_mask'] != red).mean(),
               (results['gt_polygon_mask'] != green).mean())


def polygon_mismatch(results: dict) -> float:
    """1 - IoU of the rasterised polygons and the polygon mask."""
    raster = RasterizePolygonMask(overwrite=True)(dict(
        img_shape=results['img'].shape[:2],
        gt_polygons=results['gt_polygons']))['gt_polygon_mask'].astype(bool)
    mask = results['gt_polygon_mask'].astype(bool)
    return 1 - (raster & mask).sum() / max((raster | mask).sum(), 1)


@pytest.mark.parametrize('kwargs', [
    dict(scale=(200, 90), keep_ratio=False),
    dict(scale=(64, 64), keep_ratio=True),
    dict(scale_factor=1.7),
])
def test_resize_keeps_masks_aligned(kwargs):
    results = TextSegResize(**kwargs)(make_results())
    assert results['img_shape'] == results['img'].shape[:2]
    assert mismatch(results) < 0.03
    # cv2.fillPoly also fills the pixels ON the polygon's right and bottom
    # edges (one extra column and row): on the 10-20 px boxes at 0.49x that
    # alone is up to ~14% of the IoU; alignment with the image is checked
    # by ``mismatch`` (and in test_textseg_mask_alignment.py).
    assert polygon_mismatch(results) < 0.15


def test_resize_skips_missing_masks():
    results = make_results()
    del results['gt_polygon_mask']
    results = TextSegResize(scale=(60, 50))(results)
    assert 'gt_polygon_mask' not in results
    assert results['gt_pixel_mask'].shape == (50, 60)


@pytest.mark.parametrize('direction', ['horizontal', 'vertical', 'diagonal'])
def test_flip_keeps_masks_aligned(direction):
    results = TextSegRandomFlip(prob=1.0, direction=direction)(make_results())
    assert results['flip'] and results['flip_direction'] == direction
    assert mismatch(results) == 0
    # fillPoly includes the far edges: about 6% even without a transform
    assert polygon_mismatch(results) < 0.1
    # the masks really moved
    assert (results['gt_polygon_mask'] != make_results()['gt_polygon_mask']
            ).any()


@pytest.mark.parametrize('use_canvas', [False, True])
@pytest.mark.parametrize('seed', [0, 1, 2])
def test_rotate_keeps_masks_aligned(use_canvas, seed):
    np.random.seed(seed)
    transform = TextSegRandomRotate(max_angle=30, use_canvas=use_canvas)
    results = transform(make_results())
    assert abs(results['rotated_angle']) <= 30
    assert results['img_shape'] == results['img'].shape[:2]
    if not use_canvas:
        assert results['img_shape'] == (120, 130)
    assert mismatch(results) < 0.005
    assert polygon_mismatch(results) < 0.1


@pytest.mark.parametrize('seed', range(4))
def test_crop_keeps_masks_and_instances_aligned(seed):
    np.random.seed(seed)
    random.seed(seed)
    results = TextSegRandomCrop(target_size=(64, 48))(make_results())
    assert results['img'].shape[:2] == (48, 64) == results['img_shape']
    assert mismatch(results) == 0
    num = len(results['gt_polygons'])
    assert len(results['gt_bboxes']) == len(results['gt_bboxes_labels']) \
        == len(results['gt_ignored']) == len(results['gt_texts']) == num
    if num:
        assert polygon_mismatch(results) < 0.1
    else:
        assert not results['gt_polygon_mask'].any()


def test_crop_positive_samples_overlap_text():
    np.random.seed(0)
    transform = TextSegRandomCrop(
        target_size=(40, 40), positive_sample_ratio=1.0)
    hits = [
        transform(make_results())['gt_polygon_mask'].any() for _ in range(20)
    ]
    assert all(hits)


def test_crop_without_polygons():
    results = make_results()
    del results['gt_polygons']
    results = TextSegRandomCrop(target_size=50)(results)
    assert results['img'].shape[:2] == (50, 50)
    assert mismatch(results) == 0


def test_noise_changes_only_the_image():
    np.random.seed(0)
    results = make_results()
    out = RandomGaussianNoise(prob=1.0, std=(5., 10.))(copy.deepcopy(results))
    assert out['img'].dtype == np.uint8
    assert (out['img'] != results['img']).any()
    for key in ('gt_pixel_mask', 'gt_polygon_mask'):
        np.testing.assert_array_equal(out[key], results[key])
    same = RandomGaussianNoise(prob=0.)(copy.deepcopy(results))
    np.testing.assert_array_equal(same['img'], results['img'])
    with pytest.raises(ValueError):
        RandomGaussianNoise(std=(3., 1.))


def test_rasterize_polygon_mask():
    results = make_results()
    expected = results['gt_polygon_mask'].copy()
    results['gt_polygon_mask'] = np.zeros_like(expected)
    results['has_polygon_mask'] = False
    out = RasterizePolygonMask()(copy.deepcopy(results))
    assert out['has_polygon_mask'] is True
    assert out['gt_polygon_mask'].dtype == np.uint8
    # fillPoly includes the right/bottom edges: compare on the interiors
    assert (out['gt_polygon_mask'] >= expected).all()
    assert (out['gt_polygon_mask'] != expected).mean() < 0.02

    results['gt_ignored'] = np.array([False, True, False])
    skipped = RasterizePolygonMask()(copy.deepcopy(results))
    # the ignored word (box 70..110 x 50..90) is don't care, not text
    assert (skipped['gt_polygon_mask'][60:80, 80:100] == 255).all()
    assert (skipped['gt_polygon_mask'][15:25, 20:50] == 1).all()
    assert set(np.unique(skipped['gt_polygon_mask'])) == {0, 1, 255}
    # a cared word over an ignored one stays text
    results['gt_polygons'].append(results['gt_polygons'][1].copy())
    results['gt_ignored'] = np.array([False, True, False, False])
    overlap = RasterizePolygonMask()(copy.deepcopy(results))
    assert (overlap['gt_polygon_mask'][60:80, 80:100] == 1).all()
    results['gt_polygons'].pop()
    results['gt_ignored'] = np.array([False, True, False])
    filled = RasterizePolygonMask(fill_ignored=True)(copy.deepcopy(results))
    assert filled['gt_polygon_mask'][60:80, 80:100].all()


def test_rasterize_keeps_loaded_masks_and_needs_polygons():
    results = make_results()
    results['gt_polygon_mask'] = np.zeros_like(results['gt_polygon_mask'])
    kept = RasterizePolygonMask()(copy.deepcopy(results))
    assert not kept['gt_polygon_mask'].any()  # flag True: left as loaded
    assert RasterizePolygonMask(overwrite=True)(
        copy.deepcopy(results))['gt_polygon_mask'].any()
    results.update(gt_polygons=[], has_polygon_mask=False)
    out = RasterizePolygonMask()(results)
    assert out['has_polygon_mask'] is False
