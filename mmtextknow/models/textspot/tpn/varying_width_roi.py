# Copyright (c) mmtextknow contributors. All rights reserved.
"""Varying-width RoI pooling of TPN's Region Feature Encoder.

TPN (Li, Wang, Shen, ICCV 2017) pools each text proposal to a FIXED height
and a width that follows the proposal's aspect ratio, giving a feature
sequence whose length grows with the word's length; an LSTM then reads it
column by column. For a RoI of ``roi_w x roi_h`` pixels::

    width = clamp(round(out_height * roi_w / roi_h), min_width, max_width)

(``torch.round``: halves round to even). The pooling itself is mmcv's
``roi_align`` (``aligned=True``, ``spatial_scale = 1 / stride``), so each
output bin is exactly the bin that a direct ``roi_align(feat, roi,
(out_height, width))`` call would produce.

Two batched strategies avoid one ``roi_align`` call per RoI:

* ``'group'`` (default): RoIs are grouped by output width and pooled with
  one ``roi_align`` call per DISTINCT width (at most ``max_width -
  min_width + 1`` calls, usually far fewer); the work is ``sum(widths)``
  bins. Results are bit-identical to per-RoI calls.
* ``'single'``: one ``roi_align`` call at the padded width ``T`` for all
  RoIs, each RoI's right edge being extended to ``x1 + roi_w * T / width``
  so that its first ``width`` bins (bin size ``roi_w / width``, same
  adaptive sampling grid) coincide with the direct call; the extra columns
  are then zeroed. Work is ``K * T`` bins but a single kernel launch; equal
  to the direct call up to float rounding of the bin size (~1e-6).

Outputs are padded with zeros on the right to ``T = max(widths)`` (or to
``max_width`` with ``pad_to_max_width=True``, a fixed shape), and the
valid lengths are returned; :func:`sequence_mask` turns them into a mask.
"""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmcv.ops import roi_align
from mmengine.model import BaseModule
from torch import Tensor

from mmocr.registry import MODELS


def sequence_mask(lengths: Tensor, max_len: Optional[int] = None) -> Tensor:
    """Mask of the valid steps of padded sequences.

    Args:
        lengths (Tensor): Sequence lengths, shape (K, ), integer.
        max_len (int, optional): Padded length; defaults to
            ``lengths.max()`` (0 when K = 0).

    Returns:
        Tensor: BoolTensor of shape (K, max_len), ``True`` at step ``t``
        of sequence ``k`` iff ``t < lengths[k]``.
    """
    if max_len is None:
        max_len = int(lengths.max()) if lengths.numel() > 0 else 0
    steps = torch.arange(max_len, device=lengths.device)
    return steps[None, :] < lengths.reshape(-1, 1)


@MODELS.register_module()
class VaryingWidthRoIPool(BaseModule):
    """RoI Align to a fixed height and an aspect-ratio-dependent width.

    Args:
        out_height (int): Fixed output height (bins). Defaults to 8.
        min_width (int): Smallest output width. Defaults to 1.
        max_width (int): Largest output width. Defaults to 64.
        stride (int | float): Feature stride in pixels;
            ``spatial_scale = 1 / stride``. Defaults to 8.
        sampling_ratio (int): Sampling points per bin and axis of
            ``roi_align``; 0 is adaptive (``ceil(bin size)``). Defaults to 0.
        aligned (bool): ``roi_align``'s pixel-shift alignment. Defaults to
            True. The ``'single'`` strategy requires True (with False mmcv
            clamps tiny RoIs, which breaks the extended-box identity).
        strategy (str): ``'group'`` (one call per distinct width, exact) or
            ``'single'`` (one call with extended boxes). See the module
            docstring. Defaults to ``'group'``.
        pad_to_max_width (bool): Pad outputs to ``max_width`` columns
            instead of the longest sequence in the batch. Defaults to False.
        init_cfg (dict, optional): Unused (no parameters).
    """

    def __init__(self,
                 out_height: int = 8,
                 min_width: int = 1,
                 max_width: int = 64,
                 stride: float = 8,
                 sampling_ratio: int = 0,
                 aligned: bool = True,
                 strategy: str = 'group',
                 pad_to_max_width: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        assert out_height >= 1, out_height
        assert 1 <= min_width <= max_width, (min_width, max_width)
        assert stride > 0, stride
        assert strategy in ('group', 'single'), strategy
        assert aligned or strategy == 'group', \
            "strategy='single' requires aligned=True"
        self.out_height = int(out_height)
        self.min_width = int(min_width)
        self.max_width = int(max_width)
        self.stride = stride
        self.spatial_scale = 1.0 / stride
        self.sampling_ratio = int(sampling_ratio)
        self.aligned = aligned
        self.strategy = strategy
        self.pad_to_max_width = pad_to_max_width

    def compute_widths(self, rois: Tensor) -> Tensor:
        """Output width of each RoI.

        Args:
            rois (Tensor): (K, 5) ``(batch_idx, x1, y1, x2, y2)`` in image
                pixels.

        Returns:
            Tensor: LongTensor (K, ), ``clamp(round(out_height * roi_w /
            roi_h), min_width, max_width)``; degenerate widths / heights
            are treated as 0 / a tiny positive number.
        """
        roi_w = (rois[:, 3] - rois[:, 1]).clamp(min=0)
        roi_h = (rois[:, 4] - rois[:, 2]).clamp(min=1e-6)
        widths = torch.round(self.out_height * roi_w / roi_h)
        return widths.clamp(self.min_width, self.max_width).long()

    def _roi_align(self, feat: Tensor, rois: Tensor, width: int) -> Tensor:
        return roi_align(feat, rois, (self.out_height, width),
                         self.spatial_scale, self.sampling_ratio, 'avg',
                         self.aligned)

    def forward(self, feat: Tensor, rois: Tensor) -> Tuple[Tensor, Tensor]:
        """Pool every RoI to ``out_height`` x its own width.

        Args:
            feat (Tensor): Feature map, shape (N, C, H, W), stride
                ``self.stride``.
            rois (Tensor): (K, 5) ``(batch_idx, x1, y1, x2, y2)`` in image
                pixels.

        Returns:
            tuple[Tensor, Tensor]:

            - feats: (K, C, out_height, T), zero beyond each RoI's width;
              ``T = max_width`` if ``pad_to_max_width`` else
              ``lengths.max()`` (0 for K = 0).
            - lengths: LongTensor (K, ), the widths.
        """
        assert rois.dim() == 2 and rois.size(1) == 5, rois.shape
        rois = rois.to(feat.dtype)
        num_rois, channels = rois.size(0), feat.size(1)
        lengths = self.compute_widths(rois)
        if num_rois == 0:
            pad = self.max_width if self.pad_to_max_width else 0
            return feat.new_zeros(0, channels, self.out_height,
                                  pad), lengths
        max_len = self.max_width if self.pad_to_max_width else int(
            lengths.max())
        if self.strategy == 'group':
            out = self._forward_group(feat, rois, lengths, max_len)
        else:
            out = self._forward_single(feat, rois, lengths, max_len)
        return out, lengths

    def _forward_group(self, feat: Tensor, rois: Tensor, lengths: Tensor,
                       max_len: int) -> Tensor:
        """One ``roi_align`` call per distinct width, then reorder."""
        pieces, order = [], []
        for width in torch.unique(lengths).tolist():
            idx = torch.nonzero(lengths == width, as_tuple=False).view(-1)
            pooled = self._roi_align(feat, rois[idx], int(width))
            pieces.append(F.pad(pooled, (0, max_len - int(width))))
            order.append(idx)
        out = torch.cat(pieces, dim=0)
        inverse = torch.empty_like(lengths)
        perm = torch.cat(order)
        inverse[perm] = torch.arange(perm.numel(), device=perm.device)
        return out[inverse]

    def _forward_single(self, feat: Tensor, rois: Tensor, lengths: Tensor,
                        max_len: int) -> Tensor:
        """One ``roi_align`` call on right-extended boxes, then mask."""
        ext = rois.clone()
        roi_w = (rois[:, 3] - rois[:, 1]).clamp(min=0)
        ext[:, 3] = rois[:, 1] + roi_w * (max_len / lengths.to(rois.dtype))
        pooled = self._roi_align(feat, ext, max_len)
        mask = sequence_mask(lengths, max_len).to(pooled.dtype)
        return pooled * mask[:, None, None, :]
