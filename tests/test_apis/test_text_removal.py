"""The pipeline's text removal: mask dilation and OpenCV inpainting."""
import numpy as np
import pytest

from mmtextknow.apis import OpenCVInpainter, dilate_mask, remove_masked_text

BACKGROUND = (40, 120, 200)


def square_image():
    """A plain 30x50 image with a white 6x6 square at rows/cols 12..17."""
    image = np.empty((30, 50, 3), np.uint8)
    image[:] = BACKGROUND
    image[12:18, 12:18] = 255
    mask = np.zeros((30, 50), np.uint8)
    mask[12:18, 12:18] = 1
    return image, mask


def test_dilate_mask_grows_by_the_radius():
    mask = np.zeros((21, 21), np.uint8)
    mask[10, 10] = 7  # any non-zero value is text
    grown = dilate_mask(mask, 3)
    assert grown.dtype == np.uint8 and set(np.unique(grown)) == {0, 1}
    rows, cols = np.nonzero(grown)
    # an ellipse 7 pixels across around the pixel: 3 each way, no more
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (7, 13, 7, 13)
    assert grown[10, 7] and grown[7, 10] and not grown[7, 7]
    np.testing.assert_array_equal(dilate_mask(mask, 0), mask > 0)
    with pytest.raises(ValueError, match='dilation'):
        dilate_mask(mask, -1)


@pytest.mark.parametrize('method', ['telea', 'ns'])
def test_inpainting_fills_the_mask_from_the_background(method):
    image, mask = square_image()
    result = remove_masked_text(image, mask, OpenCVInpainter(method))
    assert result.shape == image.shape and result.dtype == np.uint8
    outside = mask == 0
    np.testing.assert_array_equal(result[outside], image[outside])
    # a plain background is recovered inside the square (was 255)
    inside = result[mask > 0].astype(int)
    assert np.abs(inside - BACKGROUND).max() <= 2


def test_outside_the_mask_is_kept_whatever_the_remover_does():
    image, mask = square_image()
    seen = {}

    def remover(img, msk):
        seen['mask'] = msk.copy()
        return np.zeros_like(img)  # changes every pixel

    result = remove_masked_text(image, mask, remover)
    np.testing.assert_array_equal(seen['mask'], mask)
    np.testing.assert_array_equal(result[mask == 0], image[mask == 0])
    assert (result[mask > 0] == 0).all()


def test_empty_mask_and_bad_remover():
    image, mask = square_image()
    calls = []
    result = remove_masked_text(image, np.zeros_like(mask),
                                lambda *a: calls.append(a))
    np.testing.assert_array_equal(result, image)
    assert not calls
    with pytest.raises(ValueError, match='shape'):
        remove_masked_text(image, mask, lambda img, msk: img[:10])
    with pytest.raises(ValueError, match='telea'):
        OpenCVInpainter('deepfill')
