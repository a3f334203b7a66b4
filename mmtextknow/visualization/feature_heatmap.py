# Copyright (c) mmtextknow contributors. All rights reserved.
"""Heat maps of encoder feature maps (STKM paper, Fig. 5a).

The heat of a ``C x H x W`` feature map is the L2 norm of its channel
vector at each location, resized to the image and min-max normalised to
[0, 1]; :func:`overlay_heatmap` colour-maps it (``cv2.COLORMAP_JET``) and
blends it with the image.
"""
from typing import Tuple

import cv2
import numpy as np
import torch


def feature_heatmap(feat: torch.Tensor, out_hw: Tuple[int,
                                                      int]) -> np.ndarray:
    """The heat map of a feature map at a given size.

    Args:
        feat (torch.Tensor): A feature map, ``C x H x W``.
        out_hw (tuple[int, int]): Output ``(height, width)``, e.g. the
            original image size.

    Returns:
        np.ndarray: ``out_hw`` float32 map in [0, 1]: the channel L2 norm,
        bilinearly resized, then min-max normalised (all zeros when the
        norm is constant).
    """
    if feat.dim() != 3:
        raise ValueError('feat must be C x H x W, got shape '
                         f'{tuple(feat.shape)}')
    height, width = int(out_hw[0]), int(out_hw[1])
    if height <= 0 or width <= 0:
        raise ValueError(f'out_hw must be positive, got {out_hw}')
    norm = feat.detach().float().norm(p=2, dim=0).cpu().numpy()
    heat = cv2.resize(
        norm.astype(np.float32), (width, height),
        interpolation=cv2.INTER_LINEAR)
    low, high = float(heat.min()), float(heat.max())
    if high - low <= 1e-12 or not np.isfinite(high - low):
        return np.zeros((height, width), dtype=np.float32)
    heat = (heat - low) / (high - low)
    return np.clip(heat, 0., 1.).astype(np.float32)


def overlay_heatmap(img_bgr: np.ndarray,
                    heat: np.ndarray,
                    alpha: float = 0.5) -> np.ndarray:
    """Blend a heat map, colour-mapped with ``cv2.COLORMAP_JET``, with an
    image.

    Args:
        img_bgr (np.ndarray): The image, ``H x W x 3`` BGR (or ``H x W``
            grey), uint8.
        heat (np.ndarray): A map in [0, 1]; resized to the image when its
            size differs.
        alpha (float): Weight of the heat colours (``0`` the image only,
            ``1`` the colours only). Defaults to 0.5.

    Returns:
        np.ndarray: ``H x W x 3`` uint8 BGR blend.
    """
    if not 0. <= alpha <= 1.:
        raise ValueError(f'alpha must be in [0, 1], got {alpha}')
    img = np.asarray(img_bgr)
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    elif img.ndim == 3 and img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f'img_bgr must be H x W x 3, got {img.shape}')
    if img.dtype != np.uint8:
        img = np.clip(img, 0, 255).astype(np.uint8)
    heat = np.asarray(heat, dtype=np.float32)
    if heat.shape != img.shape[:2]:
        heat = cv2.resize(heat, (img.shape[1], img.shape[0]),
                          interpolation=cv2.INTER_LINEAR)
    heat = np.nan_to_num(np.clip(heat, 0., 1.))
    colours = cv2.applyColorMap(
        np.round(heat * 255).astype(np.uint8), cv2.COLORMAP_JET)
    return cv2.addWeighted(img, 1. - alpha, colours, alpha, 0.)
