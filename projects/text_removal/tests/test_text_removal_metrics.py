# Copyright (c) mmtextknow contributors. All rights reserved.
"""Removal metrics on hand-computed cases."""
import math

import numpy as np
import pytest

from projects.text_removal.text_removal import (TextRemovalMetric,
                                                 masked_mse, mse, psnr,
                                                 psnr_from_mse, ssim)


def flat(value: float, shape=(16, 16, 3)) -> np.ndarray:
    return np.full(shape, value, dtype=np.uint8)


def one_pixel_off(offset: int = 32) -> np.ndarray:
    """A flat 10-valued 16x16 RGB image whose pixel (0, 0) is +offset."""
    image = flat(10)
    image[0, 0] += offset
    return image


def test_identical_images():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(24, 32, 3), dtype=np.uint8)
    assert mse(image, image) == 0
    assert psnr(image, image) == math.inf
    assert ssim(image, image) == pytest.approx(1.0, abs=1e-12)
    assert psnr_from_mse(0.0) == math.inf


def test_hand_mse_psnr():
    pred, target = one_pixel_off(32), flat(10)
    # one pixel, 3 channels, each off by 32: 3 * 1024 / (16 * 16 * 3) = 4
    assert mse(pred, target) == 4.0
    # 10 log10(255^2 / 4) = 48.1308 - 6.0206
    assert psnr(pred, target) == pytest.approx(42.1102, abs=1e-4)
    assert psnr(pred, target, data_range=1.0) == pytest.approx(
        10 * math.log10(1 / 4))
    mask = np.zeros((16, 16), bool)
    mask[0, :2] = True  # the wrong pixel and a right one: 3072 / 6
    assert masked_mse(pred, target, mask) == 512.0
    mask[:] = False
    mask[5, 5] = True
    assert masked_mse(pred, target, mask) == 0.0
    assert math.isnan(masked_mse(pred, target, np.zeros((16, 16), bool)))


def test_gray_images():
    pred, target = flat(0, (4, 4)), flat(0, (4, 4))
    pred[1, 2] = 8  # 64 / 16
    assert mse(pred, target) == 4.0


def test_ssim_of_flat_images_by_hand():
    # Constant images: the contrast-structure term is C2 / C2 = 1 and the
    # luminance term (2ab + C1) / (a^2 + b^2 + C1), C1 = (0.01 * 255)^2.
    c1 = (0.01 * 255)**2
    expected = (2 * 100 * 110 + c1) / (100**2 + 110**2 + c1)
    assert expected == pytest.approx(0.995476, abs=1e-6)
    assert ssim(flat(100, (16, 16, 3)), flat(110, (16, 16, 3))) == \
        pytest.approx(expected, abs=1e-9)
    assert ssim(flat(100, (16, 16)), flat(110, (16, 16))) == \
        pytest.approx(expected, abs=1e-9)


def test_ssim_penalises_structure():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
    assert ssim(image, 255 - image) < 0
    assert ssim(image, image // 2 + 64) < 1


def test_shape_mismatch():
    with pytest.raises(ValueError, match='shapes differ'):
        mse(flat(0), flat(0, (16, 15, 3)))
    with pytest.raises(ValueError, match='mask size'):
        masked_mse(flat(0), flat(0), np.ones((16, 15), bool))


def test_metric_pools_and_handles_inf():
    text_a = np.zeros((16, 16), bool)
    text_a[0, 0] = True  # the one wrong pixel: squared error 3072 over 3
    text_b = np.zeros((16, 16), bool)
    text_b[2, 2:5] = True  # 3 right pixels: 0 over 9
    samples = [
        dict(pred_img=one_pixel_off(32), gt_background=flat(10),
             gt_text_mask=text_a, gt_word_mask=np.ones((16, 16), bool)),
        dict(pred_img=flat(10), gt_background=flat(10),
             gt_text_mask=text_b, gt_word_mask=np.ones((16, 16), bool)),
    ]
    metric = TextRemovalMetric()
    metric.process([], samples)
    scores = metric.compute_metrics(metric.results)
    assert scores['PSNR'] == math.inf  # the second image is identical
    assert scores['text_MSE'] == 3072 / 12  # pooled, not (1024 + 0) / 2
    assert scores['word_MSE'] == 3072 / 1536
    # SSIM 1 for the second image; the first is below 1
    assert 0 < scores['SSIM'] < 1

    capped = TextRemovalMetric(psnr_cap=100)
    capped.process([], samples)
    scores = capped.compute_metrics(capped.results)
    assert scores['PSNR'] == pytest.approx((42.1102 + 100) / 2, abs=1e-4)


def test_metric_evaluate_prefix_and_optional_masks():
    metric = TextRemovalMetric()
    metric.process([], [dict(pred_img=flat(7), gt_background=flat(7))])
    scores = metric.evaluate(1)
    assert scores == {'removal/PSNR': math.inf,
                      'removal/SSIM': pytest.approx(1.0, abs=1e-12)}
    with pytest.raises(ValueError):
        TextRemovalMetric(psnr_cap=0)


def test_metric_registered():
    from mmocr.registry import METRICS
    metric = METRICS.build(dict(type='TextRemovalMetric', psnr_cap=60))
    assert isinstance(metric, TextRemovalMetric) and metric.psnr_cap == 60
