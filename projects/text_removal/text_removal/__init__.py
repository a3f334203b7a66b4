# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text removal on top of mmtextknow's text segmentation.

- :func:`remove_text` (:mod:`.inpaint`): image + text mask -> text-free
  image (``cv2.inpaint``, Telea or Navier-Stokes, on the dilated mask).
- :mod:`.metrics`: PSNR / SSIM / masked MSE against the clean background
  and :class:`TextRemovalMetric` (registered in MMOCR's ``METRICS``).
- :mod:`.mask_sources`: the masks compared: a segmentation model's
  prediction, the ground-truth glyph pixels, filled word polygons.
"""
from .inpaint import INPAINT_METHODS, dilate_mask, remove_text
from .mask_sources import (MASK_SOURCES, GeneratedRemovalItem,
                           load_removal_items, mask_of, polygon_mask,
                           predict_text_masks)
from .metrics import (TextRemovalMetric, masked_mse, mse, psnr,
                      psnr_from_mse, squared_error_sum, ssim)

__all__ = [
    'INPAINT_METHODS', 'dilate_mask', 'remove_text', 'MASK_SOURCES',
    'GeneratedRemovalItem', 'load_removal_items', 'mask_of', 'polygon_mask',
    'predict_text_masks', 'TextRemovalMetric', 'masked_mse', 'mse', 'psnr',
    'psnr_from_mse', 'squared_error_sum', 'ssim'
]
