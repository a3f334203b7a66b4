"""Masks stay aligned with the bilinearly transformed image, to a fraction
of a pixel, and the ignore value survives every geometric transform.

Positions are in continuous pixel coordinates: pixel ``i`` covers
``[i, i + 1)``, its centre is ``i + 0.5`` (the convention of cv2's / mmcv's
bilinear resize). A source rectangle covering rows ``[y0, y1)`` resized by
``s = new_h / h`` covers ``[s * y0, s * y1)`` in the output: that is where
the bilinearly resized image's text is, and where the mask must be. A
binary mask can only put an edge on a pixel boundary, so one edge may be
off by up to half a pixel; what must vanish is the systematic offset (the
mean over random boxes and scales), which ``cv2.INTER_NEAREST`` makes
about +0.5 px (down-right).
"""
import random

import cv2
import numpy as np
import pytest

from mmtextknow.datasets.mask_values import IGNORE_INDEX
from mmtextknow.datasets.transforms import (TextSegRandomCrop,
                                            TextSegRandomFlip,
                                            TextSegRandomRotate,
                                            TextSegResize)
from mmtextknow.datasets.transforms.textseg_transforms import resize_mask


def _random_case(rng):
    """A non-square image with a thin text rectangle and an ignore block,
    and a non-uniform output size (x and y scales drawn independently from
    0.3x to 3x)."""
    h, w = (int(v) for v in rng.integers(40, 97, 2))
    if h == w:
        w += 7
    y0 = int(rng.integers(3, h - 12))
    x0 = int(rng.integers(3, w - 14))
    th, tw = int(rng.integers(2, 5)), int(rng.integers(3, 10))
    mask = np.zeros((h, w), np.uint8)
    mask[y0:y0 + th, x0:x0 + tw] = 1
    while True:  # a 6x6 ignore block that does not touch the text
        iy, ix = int(rng.integers(0, h - 8)), int(rng.integers(0, w - 8))
        if iy > y0 + th or iy + 6 < y0 or ix > x0 + tw or ix + 6 < x0:
            break
    sx, sy = rng.uniform(0.3, 3.0, 2)
    new_w, new_h = max(1, round(w * sx)), max(1, round(h * sy))
    return mask, (y0, y0 + th, x0, x0 + tw), (iy, ix), (new_w, new_h)


def _resize_results(mask, ignore_yx, size):
    """Run TextSegResize on an image whose channel 0 is the text mask."""
    h, w = mask.shape
    pixel = mask.copy()
    iy, ix = ignore_yx
    pixel[iy:iy + 6, ix:ix + 6] = IGNORE_INDEX
    img = np.repeat((mask * 255)[..., None], 3, axis=2)
    results = dict(
        img=img,
        img_shape=(h, w),
        ori_shape=(h, w),
        gt_pixel_mask=pixel,
        gt_polygon_mask=mask.copy())
    return TextSegResize(scale=size, keep_ratio=False)(results)


def _edges(mask):
    """(top, bottom, left, right) of the text pixels, as pixel boundaries."""
    rows = np.nonzero((mask == 1).any(1))[0]
    cols = np.nonzero((mask == 1).any(0))[0]
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def _centroid(weights):
    """Weighted centroid (x, y) in continuous coordinates."""
    ys, xs = np.mgrid[:weights.shape[0], :weights.shape[1]]
    total = weights.sum()
    return np.array([((xs + 0.5) * weights).sum() / total,
                     ((ys + 0.5) * weights).sum() / total])


def _source_index(out_len: int, in_len: int):
    """Source index of each output pixel by the pixel-centre rule, and the
    index below it where the centre lies exactly on a pixel boundary (a tie
    cv2 may break either way), else the same index."""
    pos = (np.arange(out_len) + 0.5) * in_len / out_len
    index = np.minimum(np.floor(pos).astype(int), in_len - 1)
    tie = np.isclose(pos, np.round(pos), rtol=0, atol=1e-9) & (index > 0)
    return index, np.where(tie, index - 1, index)


def test_resize_mask_is_the_pixel_centre_rule():
    """Every output label is that of the source pixel holding the output
    pixel's centre, computed here by hand for random scales."""
    rng = np.random.default_rng(1)
    for _ in range(60):
        mask, _, _, (new_w, new_h) = _random_case(rng)
        labels = rng.choice(np.array([0, 1, IGNORE_INDEX], np.uint8),
                            mask.shape)
        h, w = mask.shape
        rows, rows_tie = _source_index(new_h, h)
        cols, cols_tie = _source_index(new_w, w)
        out = resize_mask(labels, (new_w, new_h))
        assert out.shape == (new_h, new_w)
        ok = np.zeros(out.shape, bool)
        for r in (rows, rows_tie):
            for c in (cols, cols_tie):
                ok |= out == labels[r[:, None], c[None, :]]
        assert ok.all()
        exact = (rows == rows_tie)[:, None] & (cols == cols_tie)[None, :]
        np.testing.assert_array_equal(
            out[exact], labels[rows[:, None], cols[None, :]][exact])


def test_resize_keeps_thin_text_aligned_over_random_scales():
    rng = np.random.default_rng(0)
    edge_err, centroid_vs_hand, centroid_vs_img, nearest_err = [], [], [], []
    for _ in range(150):
        mask, (y0, y1, x0, x1), ignore_yx, size = _random_case(rng)
        out = _resize_results(mask, ignore_yx, size)
        new_w, new_h = size
        sy, sx = new_h / mask.shape[0], new_w / mask.shape[1]
        assert out['gt_pixel_mask'].shape == out['img'].shape[:2]
        assert out['gt_pixel_mask'].shape == (new_h, new_w)
        pixel = out['gt_pixel_mask']
        assert set(np.unique(pixel)) <= {0, 1, IGNORE_INDEX}
        text = pixel == 1
        if not text.any():
            continue  # a 2-px line at 0.3x can vanish between centres
        # the ignore block (6x6 source px) is still there
        assert (pixel == IGNORE_INDEX).any() or min(sx, sy) < 1 / 6 + 1e-9
        np.testing.assert_array_equal(out['gt_polygon_mask'] == 1, text)
        # where the bilinear image's text lies, by hand from the scale
        hand = np.array([sy * y0, sy * y1, sx * x0, sx * x1])
        edges = np.array(_edges(pixel), dtype=float)
        assert np.abs(edges - hand).max() <= 0.5 + 1e-6
        edge_err.append(edges - hand)
        hand_centroid = np.array([sx * (x0 + x1) / 2, sy * (y0 + y1) / 2])
        centroid_vs_hand.append(_centroid(text.astype(float)) - hand_centroid)
        img_text = out['img'][..., 0].astype(float)
        if sx >= 1 and sy >= 1:
            # upscaling: bilinear interpolation keeps the intensity centroid
            np.testing.assert_allclose(
                _centroid(img_text), hand_centroid, atol=0.1)
        centroid_vs_img.append(
            _centroid(text.astype(float)) - _centroid(img_text))
        # what the nearest-neighbour resize (floor(x * src / dst)) gives
        old = cv2.resize(mask, size, interpolation=cv2.INTER_NEAREST)
        if (old == 1).any():
            nearest_err.append(np.array(_edges(old), dtype=float) - hand)
    assert len(edge_err) > 120
    # no systematic offset: means well inside 0.1 px
    assert np.abs(np.mean(edge_err, axis=0)).max() < 0.1
    assert np.abs(np.mean(centroid_vs_hand, axis=0)).max() < 0.1
    assert np.abs(np.mean(centroid_vs_img, axis=0)).max() < 0.1
    # the test can tell: INTER_NEAREST is about half a pixel off
    assert np.mean(nearest_err, axis=0).min() > 0.3


def test_resize_keep_ratio_and_identity_keep_values():
    rng = np.random.default_rng(3)
    labels = rng.choice(np.array([0, 1, IGNORE_INDEX], np.uint8), (50, 70))
    results = dict(
        img=np.zeros((50, 70, 3), np.uint8),
        img_shape=(50, 70),
        gt_pixel_mask=labels.copy())
    out = TextSegResize(scale=(70, 50), keep_ratio=True)(dict(results))
    np.testing.assert_array_equal(out['gt_pixel_mask'], labels)
    out = TextSegResize(scale=(140, 140), keep_ratio=True)(dict(results))
    assert out['gt_pixel_mask'].shape == out['img'].shape[:2] == (100, 140)
    # an exact 2x upscale repeats each label twice in both directions
    np.testing.assert_array_equal(out['gt_pixel_mask'],
                                  labels.repeat(2, 0).repeat(2, 1))


@pytest.mark.parametrize('use_canvas', [False, True])
def test_rotate_keeps_thin_text_aligned_and_ignore(use_canvas):
    rng = np.random.default_rng(5)
    offsets = []
    for seed in range(60):
        h, w = (int(v) for v in rng.integers(50, 97, 2))
        while True:  # text away from the ignore block at the centre
            y0 = int(rng.integers(15, h - 25))
            x0 = int(rng.integers(15, w - 25))
            if abs(y0 + 1 - h // 2) > 6 or abs(x0 + 4 - w // 2) > 9:
                break
        mask = np.zeros((h, w), np.uint8)
        mask[y0:y0 + 3, x0:x0 + 9] = 1
        pixel = mask.copy()
        pixel[2:8, 2:8] = IGNORE_INDEX
        pixel[h // 2 - 3:h // 2 + 3, w // 2 - 3:w // 2 + 3] = IGNORE_INDEX
        img = np.repeat((mask * 255)[..., None], 3, axis=2)
        np.random.seed(seed)
        random.seed(seed)
        out = TextSegRandomRotate(
            max_angle=30, use_canvas=use_canvas)(
                dict(img=img, img_shape=(h, w), gt_pixel_mask=pixel))
        rotated = out['gt_pixel_mask']
        assert rotated.shape == out['img'].shape[:2]
        assert set(np.unique(rotated)) <= {0, 1, IGNORE_INDEX}
        # the centre block rotates about (almost) itself: it survives
        assert (rotated == IGNORE_INDEX).sum() >= 16
        text = (rotated == 1).astype(float)
        offsets.append(
            _centroid(text) - _centroid(out['img'][..., 0].astype(float)))
    offsets = np.array(offsets)
    assert np.abs(offsets).max() < 0.75
    assert np.abs(offsets.mean(0)).max() < 0.1


def test_flip_and_crop_keep_ignore_exactly():
    rng = np.random.default_rng(7)
    labels = rng.choice(np.array([0, 1, IGNORE_INDEX], np.uint8), (60, 80))
    base = dict(
        img=np.zeros((60, 80, 3), np.uint8),
        img_shape=(60, 80),
        gt_pixel_mask=labels.copy(),
        gt_polygon_mask=labels.copy())
    out = TextSegRandomFlip(prob=1., direction='horizontal')(dict(base))
    np.testing.assert_array_equal(out['gt_pixel_mask'], labels[:, ::-1])
    np.random.seed(0)
    out = TextSegRandomCrop(target_size=(32, 24))(dict(base))
    crop = out['gt_pixel_mask']
    assert crop.shape == (24, 32)
    # the crop is a window of the labels
    found = [(y, x) for y in range(60 - 24 + 1) for x in range(80 - 32 + 1)
             if np.array_equal(labels[y:y + 24, x:x + 32], crop)]
    assert found
