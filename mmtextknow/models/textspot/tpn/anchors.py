# Copyright (c) mmtextknow contributors. All rights reserved.
"""Anchors of the Text Proposal Network (TPN, Li, Wang, Shen, ICCV 2017).

TPN uses k = 24 anchors per feature-map position: aspect ratios ``w / h`` in
(1, 2, 3, 5, 7, 10) times sizes ``sqrt(w * h)`` in (16, 32, 64, 80) pixels,
on the stride-8 feature map of :class:`VGG16Stride8`.

They are produced by mmdet's ``AnchorGenerator``, whose conventions differ:

* its ``ratios`` are ``h / w`` (``h_ratios = sqrt(ratios)``,
  ``w_ratios = 1 / h_ratios``), so we pass ``1 / r`` for each ``w / h = r``;
* an anchor is ``w = base_size * scale * w_ratio``,
  ``h = base_size * scale * h_ratio``, hence ``sqrt(w * h) = base_size *
  scale``; with ``base_sizes = [stride]`` we pass ``scales = size /
  stride`` (2, 4, 8, 10 for stride 8).

Anchors are centred on the stride grid: the anchor of position (i, j) is
centred at pixel ``(j * stride, i * stride)`` (mmdet's ``center_offset=0``),
and the 24 anchors of a position are consecutive rows (``scale_major``:
ratio-major, scales varying fastest).
"""
from typing import Sequence

#: TPN's anchor aspect ratios, ``w / h``.
TPN_ANCHOR_RATIOS = (1, 2, 3, 5, 7, 10)
#: TPN's anchor sizes ``sqrt(w * h)`` in pixels.
TPN_ANCHOR_SCALES = (16, 32, 64, 80)


def tpn_anchor_generator_cfg(ratios: Sequence[float] = TPN_ANCHOR_RATIOS,
                             scales: Sequence[float] = TPN_ANCHOR_SCALES,
                             stride: int = 8) -> dict:
    """Config of an mmdet ``AnchorGenerator`` yielding TPN's anchors.

    Args:
        ratios (Sequence[float]): Aspect ratios ``w / h`` (all > 0).
        scales (Sequence[float]): Anchor sizes ``sqrt(w * h)`` in pixels.
        stride (int): Stride of the single feature level, in pixels.

    Returns:
        dict: ``type='mmdet.AnchorGenerator'`` config (build with
        ``mmocr.registry.TASK_UTILS.build``) with
        ``len(ratios) * len(scales)`` anchors per position (24 by default);
        ``grid_priors([(H, W)])[0]`` has shape (H * W * 24, 4) in
        (x1, y1, x2, y2) pixels.
    """
    assert len(ratios) > 0 and all(r > 0 for r in ratios), ratios
    assert len(scales) > 0 and all(s > 0 for s in scales), scales
    assert stride > 0, stride
    return dict(
        type='mmdet.AnchorGenerator',
        strides=[stride],
        # mmdet's ratios are h / w.
        ratios=[1.0 / float(r) for r in ratios],
        # sqrt(w * h) = base_size * scale.
        scales=[float(s) / stride for s in scales],
        base_sizes=[stride],
        scale_major=True,
        center_offset=0.)
