"""feature_heatmap / overlay_heatmap: encoder heat maps (STKM Fig. 5a)."""
import numpy as np
import pytest
import torch

from mmtextknow.visualization.feature_heatmap import (feature_heatmap,
                                                      overlay_heatmap)


def test_heat_range_shape_dtype():
    torch.manual_seed(0)
    heat = feature_heatmap(torch.randn(8, 5, 7), (50, 70))
    assert heat.shape == (50, 70) and heat.dtype == np.float32
    assert heat.min() == pytest.approx(0.) and heat.max() == pytest.approx(1.)


def test_peak_where_the_channels_concentrate():
    feat = torch.zeros(16, 8, 8)
    feat[3, 2, 6] = 5.  # one channel active at row 2, column 6
    feat[9, 2, 6] = -5.  # the L2 norm ignores the sign
    heat = feature_heatmap(feat, (80, 80))
    row, col = np.unravel_index(heat.argmax(), heat.shape)
    assert 20 <= row < 30 and 60 <= col < 70  # the cell (2, 6), x10
    assert heat[5, 5] == 0. and heat[75, 10] == 0.
    # at the feature size: exactly the one-hot cell
    small = feature_heatmap(feat, (8, 8))
    expected = np.zeros((8, 8), np.float32)
    expected[2, 6] = 1.
    np.testing.assert_allclose(small, expected)


def test_constant_feature_is_zero_and_bad_inputs():
    heat = feature_heatmap(torch.ones(4, 3, 3), (6, 9))
    assert heat.shape == (6, 9) and not heat.any()
    with pytest.raises(ValueError):
        feature_heatmap(torch.ones(1, 4, 3, 3), (6, 9))
    with pytest.raises(ValueError):
        feature_heatmap(torch.ones(4, 3, 3), (0, 9))


def test_overlay_shape_dtype_and_alpha():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)
    heat = rng.random((30, 40)).astype(np.float32)
    blend = overlay_heatmap(img, heat, 0.5)
    assert blend.shape == (30, 40, 3) and blend.dtype == np.uint8
    np.testing.assert_array_equal(overlay_heatmap(img, heat, 0.), img)
    colours = overlay_heatmap(img, heat, 1.)
    assert not np.array_equal(colours, img)
    # JET: cold (0) is blue, hot (1) is red, in BGR
    ends = overlay_heatmap(
        np.zeros((1, 2, 3), np.uint8), np.array([[0., 1.]]), 1.)
    assert ends[0, 0].argmax() == 0 and ends[0, 1].argmax() == 2
    # a heat map of another size and a grey image
    blend = overlay_heatmap(img[..., 0], np.ones((3, 4)), 0.3)
    assert blend.shape == (30, 40, 3) and blend.dtype == np.uint8
    with pytest.raises(ValueError):
        overlay_heatmap(img, heat, 1.5)
