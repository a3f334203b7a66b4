"""TextPreservingRandomCrop and the TPN spotter's training augmentation."""
from pathlib import Path

import numpy as np
import pytest
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmtextknow.datasets.transforms import TextPreservingRandomCrop

REPO_ROOT = Path(__file__).resolve().parents[2]
TPN_BASE = REPO_ROOT / 'configs' / 'textspot' / 'tpn' / '_base_tpn_vgg16.py'


@pytest.fixture(autouse=True, scope='module')
def _mmocr_scope():
    # config steps name MMOCR's transforms (Resize) and ours
    init_default_scope('mmocr')


def coordinate_image(h: int, w: int) -> np.ndarray:
    """An image whose pixel (y, x) holds (y, x, 0): crops can be located."""
    ys, xs = np.mgrid[0:h, 0:w]
    return np.stack([ys, xs, np.zeros_like(xs)], axis=-1).astype(np.int32)


def box_poly(x1, y1, x2, y2) -> np.ndarray:
    return np.array([x1, y1, x2, y1, x2, y2, x1, y2], dtype=np.float32)


def make_results(h=200, w=300, boxes=((50, 60, 120, 80), (200, 100, 260,
                                                          130))):
    polys = [box_poly(*b) for b in boxes]
    return dict(
        img=coordinate_image(h, w),
        img_shape=(h, w),
        gt_polygons=polys,
        gt_bboxes=np.array(boxes, dtype=np.float32).reshape(-1, 4),
        gt_bboxes_labels=np.zeros(len(boxes), dtype=np.int64),
        gt_ignored=np.array([False, True][:len(boxes)]),
        gt_texts=['hello', '###'][:len(boxes)])


@pytest.mark.parametrize('seed', range(20))
def test_crop_keeps_every_word_whole(seed):
    np.random.seed(seed)
    results = make_results()
    before = {k: (v.copy() if hasattr(v, 'copy') else v)
              for k, v in results.items()}
    out = TextPreservingRandomCrop(min_side_ratio=0.3)(results)
    img = out['img']
    h, w = img.shape[:2]
    assert out['img_shape'] == (h, w)
    y1, x1 = int(img[0, 0, 0]), int(img[0, 0, 1])
    # the window is a plain crop of the original image
    np.testing.assert_array_equal(img, before['img'][y1:y1 + h, x1:x1 + w])
    # sides respect the minimum ratio (the text allows it here)
    assert w >= int(300 * 0.3) and h >= int(200 * 0.3)
    # nothing dropped, labels / texts / ignore flags untouched
    assert out['gt_texts'] == ['hello', '###']
    np.testing.assert_array_equal(out['gt_ignored'], [False, True])
    assert len(out['gt_polygons']) == 2 and len(out['gt_bboxes']) == 2
    for poly, old_poly, box, old_box in zip(out['gt_polygons'],
                                            before['gt_polygons'],
                                            out['gt_bboxes'],
                                            before['gt_bboxes']):
        pts = poly.reshape(-1, 2)
        assert pts[:, 0].min() >= 0 and pts[:, 0].max() <= w
        assert pts[:, 1].min() >= 0 and pts[:, 1].max() <= h
        np.testing.assert_allclose(pts + (x1, y1), old_poly.reshape(-1, 2))
        np.testing.assert_allclose(box + (x1, y1, x1, y1), old_box)


def test_crop_is_random_and_can_reach_the_text():
    windows = set()
    for seed in range(30):
        np.random.seed(seed)
        out = TextPreservingRandomCrop(min_side_ratio=0.0)(make_results())
        windows.add(out['img'].shape[:2] + tuple(out['img'][0, 0, :2]))
    assert len(windows) > 20


def test_text_over_the_whole_image_means_no_crop():
    results = make_results(boxes=((0, 0, 300, 200), ))
    out = TextPreservingRandomCrop(min_side_ratio=0.0)(results)
    assert out['img'].shape[:2] == (200, 300)
    np.testing.assert_allclose(out['gt_polygons'][0],
                               box_poly(0, 0, 300, 200))


def test_text_beyond_the_border_is_kept_as_is():
    np.random.seed(0)
    results = make_results(boxes=((-10, 50, 40, 70), ))
    out = TextPreservingRandomCrop(min_side_ratio=0.0)(results)
    pts = out['gt_polygons'][0].reshape(-1, 2)
    # the window starts at the left border: x unchanged, still -10
    assert pts[:, 0].min() == -10
    assert len(out['gt_texts']) == 1


def test_image_without_text_is_unchanged():
    results = make_results()
    results['gt_polygons'] = []
    results['gt_bboxes'] = np.zeros((0, 4), np.float32)
    img = results['img']
    out = TextPreservingRandomCrop()(results)
    assert out['img'] is img


def test_bad_ratio():
    with pytest.raises(ValueError, match='min_side_ratio'):
        TextPreservingRandomCrop(min_side_ratio=1.5)


def test_tpn_train_pipeline_crops_resizes_and_scales_width():
    """The base TPN config's augmentation after loading: text kept, short
    side 600 before the width scaling, width scaled by 1 or 0.8."""
    cfg = Config.fromfile(str(TPN_BASE))
    steps = cfg.train_pipeline[len(cfg.load_steps):-1]
    assert [s['type'] for s in steps] == [
        'TextPreservingRandomCrop', 'Resize', 'RandomChoice'
    ]
    crop_and_resize, width_scale = Compose(steps[:2]), Compose(steps[2:])
    width_ratios = set()
    for seed in range(12):
        np.random.seed(seed)
        results = make_results(h=300, w=400)
        results['img'] = np.zeros((300, 400, 3), np.uint8)
        resized = crop_and_resize(results)
        h, w = resized['img'].shape[:2]
        assert min(h, w) == 600 or max(h, w) == 1200
        out = width_scale(resized)
        assert out['img'].shape[0] == h
        width_ratios.add(round(out['img'].shape[1] / w, 2))
        assert out['gt_texts'] == ['hello', '###']
        out_h, out_w = out['img'].shape[:2]
        for poly in out['gt_polygons']:
            pts = poly.reshape(-1, 2)
            assert pts.min() >= 0
            assert pts[:, 0].max() <= out_w and pts[:, 1].max() <= out_h
    assert width_ratios == {1.0, 0.8}
