# Copyright (c) mmtextknow contributors. All rights reserved.
"""remove_text / dilate_mask: strokes on flat backgrounds, hand-counted
dilations, bad input."""
import cv2
import numpy as np
import pytest

from projects.text_removal.text_removal import (INPAINT_METHODS,
                                                 dilate_mask, mse,
                                                 remove_text)

BACKGROUND = (40, 120, 200)


def stroke_image(line_type: int = cv2.LINE_8):
    """A flat 72x96 colour background with a light 3-px stroke on it.

    Returns:
        tuple: The image, its background and the stroke mask (the pixels
        whose value reached the stroke colour: for an anti-aliased line
        the fully covered core only).
    """
    background = np.empty((72, 96, 3), np.uint8)
    background[:] = BACKGROUND
    image = background.copy()
    cv2.line(image, (10, 20), (85, 55), (250, 250, 250), 3, line_type)
    core = (image == 250).all(axis=-1)
    return image, background, core


@pytest.mark.parametrize('method', sorted(INPAINT_METHODS))
def test_removes_a_stroke(method):
    image, background, core = stroke_image()
    assert core.sum() > 150
    before = mse(image, background)
    after = remove_text(image, core, method=method, dilation=1)
    assert before > 500  # ~220 px off by up to 210 of 6912
    assert mse(after, background) < before / 1000
    # the stroke's pixels take the flat colour again (Telea's gradient term
    # is off by a few levels on a flat image)
    assert np.abs(after[core].astype(int) - BACKGROUND).max() <= 3


def test_pixels_outside_the_dilated_mask_unchanged():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(40, 50, 3), dtype=np.uint8)
    mask = np.zeros((40, 50), np.uint8)
    mask[10:14, 5:30] = 255
    out = remove_text(image, mask, dilation=2)
    outside = dilate_mask(mask, 2) == 0
    assert np.array_equal(out[outside], image[outside])
    assert not np.array_equal(out[~outside], image[~outside])
    assert out.shape == image.shape and out.dtype == np.uint8


def test_dilation_removes_the_antialiased_edge():
    image, background, core = stroke_image(cv2.LINE_AA)
    edge = (image != background).any(axis=-1) & ~core
    assert edge.sum() > 100  # blended pixels outside the mask
    kept = remove_text(image, core, dilation=0)
    # without dilation the blended edge stays (and bleeds inwards)
    assert np.array_equal(kept[edge], image[edge])
    grown = remove_text(image, core, dilation=2)
    assert mse(grown, background) < mse(kept, background) / 20
    assert np.abs(grown.astype(int) - background).max() <= 2


def test_gray_image_and_empty_mask():
    image = np.full((20, 20), 90, np.uint8)
    image[5:8, 2:18] = 250
    out = remove_text(image, image == 250, dilation=0)
    assert out.shape == (20, 20)
    assert np.abs(out.astype(int) - 90).max() <= 3
    same = remove_text(image, np.zeros((20, 20), bool))
    assert np.array_equal(same, image) and same is not image


def test_dilate_mask_by_hand():
    mask = np.zeros((9, 9), np.uint8)
    mask[4, 4] = 1
    assert np.array_equal(dilate_mask(mask, 0), mask > 0)
    # distance <= 1: the pixel and its 4 neighbours
    one = dilate_mask(mask, 1)
    assert one.sum() == 5 and one[3, 4] and one[4, 5] and not one[3, 3]
    # distance <= 2: + 4 diagonals (1.41) + 4 pixels 2 steps away = 13
    two = dilate_mask(mask, 2)
    assert two.sum() == 13 and two[3, 3] and two[4, 6] and not two[2, 3]
    # distance <= 3: + (+-1, +-2) and (+-2, +-1) at 2.24, (+-2, +-2) at
    # 2.83, (+-3, 0) at 3 = 13 + 8 + 4 + 4 = 29
    assert dilate_mask(mask, 3).sum() == 29
    assert not dilate_mask(np.zeros((4, 4)), 3).any()


@pytest.mark.parametrize('kwargs, match', [
    (dict(method='deepfill'), 'unknown inpainting method'),
    (dict(dilation=-1), 'dilation must be >= 0'),
    (dict(dilation=1.5), 'integer number of pixels'),
    (dict(radius=0), 'radius must be > 0'),
])
def test_bad_options(kwargs, match):
    image, _, core = stroke_image()
    with pytest.raises(ValueError, match=match):
        remove_text(image, core, **kwargs)


def test_bad_inputs():
    image, _, core = stroke_image()
    with pytest.raises(ValueError, match='differs from the image size'):
        remove_text(image, core[:-1])
    with pytest.raises(ValueError, match='uint8'):
        remove_text(image.astype(np.float32), core)
    with pytest.raises(ValueError, match='2-D'):
        remove_text(image, np.stack([core] * 3, axis=-1))
