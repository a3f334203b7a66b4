# Copyright (c) mmtextknow contributors. All rights reserved.
"""How well text was removed: the text-free image against the clean
background.

- :func:`mse` / :func:`masked_mse`: mean squared error over all values
  (pixels x channels), or over the values of the pixels of a mask.
- :func:`psnr`: ``10 log10(data_range**2 / MSE)`` in dB; identical images
  (MSE 0) give ``float('inf')``.
- :func:`ssim`: scikit-image's ``structural_similarity`` with the settings
  of Wang et al. (2004): an 11x11 Gaussian window of sigma 1.5 (truncated
  at 3.5 sigma), K1 = 0.01, K2 = 0.03, population covariances; colour
  images score the mean of the per-channel SSIMs. Identical images give 1.
  (scikit-image comes with MMOCR, which requires it.)
- :class:`TextRemovalMetric`: the dataset-level scores, as an MMEngine
  metric registered in MMOCR's ``METRICS``.
"""
import math
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmocr.registry import METRICS
from skimage.metrics import structural_similarity

#: Gaussian window of the SSIM (Wang et al., 2004).
SSIM_SIGMA = 1.5


def _pair(pred: np.ndarray, target: np.ndarray):
    """Both images as float64 arrays of the same shape."""
    pred = np.asarray(pred)
    target = np.asarray(target)
    if pred.shape != target.shape:
        raise ValueError(f'image shapes differ: {pred.shape} vs '
                         f'{target.shape}')
    if pred.ndim not in (2, 3):
        raise ValueError(f'expected (H, W) or (H, W, C) images, got shape '
                         f'{pred.shape}')
    return pred.astype(np.float64), target.astype(np.float64)


def squared_error_sum(pred: np.ndarray,
                      target: np.ndarray,
                      mask: Optional[np.ndarray] = None):
    """Sum of squared differences and the number of values summed.

    Args:
        pred (np.ndarray): (H, W) or (H, W, C) image.
        target (np.ndarray): Image of the same shape.
        mask (np.ndarray, optional): (H, W) mask, non-zero = counted; None:
            every pixel.

    Returns:
        tuple[float, int]: The sum and the number of values (pixels x
        channels).
    """
    pred, target = _pair(pred, target)
    sq = (pred - target)**2
    if sq.ndim == 2:
        sq = sq[..., None]
    if mask is None:
        return float(sq.sum()), int(sq.size)
    mask = np.asarray(mask) != 0
    if mask.shape != sq.shape[:2]:
        raise ValueError(f'mask size {mask.shape} differs from the image '
                         f'size {sq.shape[:2]}')
    return float(sq[mask].sum()), int(mask.sum()) * sq.shape[2]


def mse(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error over every value (pixels x channels)."""
    total, count = squared_error_sum(pred, target)
    return total / count


def masked_mse(pred: np.ndarray, target: np.ndarray,
               mask: np.ndarray) -> float:
    """Mean squared error over the pixels where ``mask`` is non-zero.

    Returns:
        float: The MSE; NaN if the mask is empty.
    """
    total, count = squared_error_sum(pred, target, mask)
    return total / count if count else float('nan')


def psnr_from_mse(value: float, data_range: float = 255.0) -> float:
    """``10 log10(data_range**2 / value)``; ``inf`` for ``value == 0``."""
    if value == 0:
        return float('inf')
    return 10.0 * math.log10(data_range**2 / value)


def psnr(pred: np.ndarray, target: np.ndarray,
         data_range: float = 255.0) -> float:
    """Peak signal-to-noise ratio in dB.

    Args:
        pred (np.ndarray): (H, W) or (H, W, C) image.
        target (np.ndarray): Image of the same shape.
        data_range (float): Peak value. Defaults to 255 (uint8 images).

    Returns:
        float: The PSNR; ``float('inf')`` for identical images.
    """
    return psnr_from_mse(mse(pred, target), data_range)


def ssim(pred: np.ndarray, target: np.ndarray,
         data_range: float = 255.0) -> float:
    """Structural similarity (Wang et al., 2004), see the module docstring.

    Args:
        pred (np.ndarray): (H, W) or (H, W, C) image, at least 11x11 (the
            window).
        target (np.ndarray): Image of the same shape.
        data_range (float): Value range. Defaults to 255 (uint8 images).

    Returns:
        float: The mean SSIM (1 for identical images).
    """
    pred, target = _pair(pred, target)
    return float(
        structural_similarity(
            pred,
            target,
            data_range=data_range,
            channel_axis=-1 if pred.ndim == 3 else None,
            gaussian_weights=True,
            sigma=SSIM_SIGMA,
            use_sample_covariance=False))


@METRICS.register_module()
class TextRemovalMetric(BaseMetric):
    """Scores of text removal against the clean background.

    Each data sample passed to :meth:`process` is a dict of uint8 arrays:

    - ``pred_img``: the text-free image, (H, W, 3) or (H, W).
    - ``gt_background``: the clean background, same shape.
    - ``gt_text_mask`` (optional): (H, W), non-zero on ground-truth glyph
      pixels.
    - ``gt_word_mask`` (optional): (H, W), non-zero inside ground-truth
      word polygons.

    Returned keys (under ``default_prefix``):

    - ``PSNR``: the mean over images of the per-image PSNR (dB); an image
      identical to its background scores ``inf`` (or ``psnr_cap``), so the
      mean is ``inf`` when any image is identical and ``psnr_cap`` is None.
    - ``SSIM``: the mean over images of the per-image SSIM.
    - ``text_MSE`` / ``word_MSE``: the MSE over the ground-truth glyph
      pixels / word-polygon pixels of all images pooled (total squared error
      over the number of values); NaN when no image has such pixels. Only
      returned when every sample has the mask.

    Args:
        psnr_cap (float, optional): Upper limit of a per-image PSNR; None
            keeps ``inf``. Defaults to None.
        collect_device (str): See :class:`mmengine.evaluator.BaseMetric`.
        prefix (str, optional): Key prefix; defaults to ``'removal'``.
    """
    default_prefix: Optional[str] = 'removal'

    #: Optional region masks of a sample -> the key of their MSE.
    REGIONS = {'gt_text_mask': 'text_MSE', 'gt_word_mask': 'word_MSE'}

    def __init__(self,
                 psnr_cap: Optional[float] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if psnr_cap is not None and not psnr_cap > 0:
            raise ValueError(f'psnr_cap must be > 0 or None, got {psnr_cap}')
        self.psnr_cap = psnr_cap

    def process(self, data_batch: Sequence, data_samples: Sequence[dict]
                ) -> None:
        """Score each sample and keep its per-image results."""
        for sample in data_samples:
            pred, target = sample['pred_img'], sample['gt_background']
            value = psnr(pred, target)
            if self.psnr_cap is not None:
                value = min(value, self.psnr_cap)
            result = dict(psnr=value, ssim=ssim(pred, target))
            for key in self.REGIONS:
                if sample.get(key) is not None:
                    result[key] = squared_error_sum(pred, target,
                                                    sample[key])
            self.results.append(result)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """The dataset-level scores (see the class docstring)."""
        metrics = dict(
            PSNR=float(np.mean([r['psnr'] for r in results])),
            SSIM=float(np.mean([r['ssim'] for r in results])))
        for key, name in self.REGIONS.items():
            if results and all(key in r for r in results):
                total = sum(r[key][0] for r in results)
                count = sum(r[key][1] for r in results)
                metrics[name] = total / count if count else float('nan')
        return metrics
