# Copyright (c) mmtextknow contributors. All rights reserved.
"""EAST's training targets (score map, geometry, loss mask) from polygons."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
from mmocr.structures import TextDetDataSample

from .geometry import (polygon_to_quad, quad_geometry, rbox_geometry,
                       shrink_quad, signed_area)

def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Even-odd rule: which ``(N, 2)`` points lie inside ``polygon``
    (``(n, 2)`` vertices, any simple polygon)."""
    x, y = points[:, 0:1], points[:, 1:2]  # (N, 1)
    x0, y0 = polygon[:, 0], polygon[:, 1]  # (n,)
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    crosses = (y0 > y) != (y1 > y)  # (N, n): the edge spans the ray's y
    with np.errstate(divide='ignore', invalid='ignore'):
        x_at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return np.count_nonzero(crosses & (x < x_at), axis=1) % 2 == 1


def fill_polygon(canvas: np.ndarray, polygon: np.ndarray, stride: int,
                 value: float) -> None:
    """Set the cells of ``canvas`` (a map at ``1 / stride`` resolution)
    whose centres lie inside ``polygon`` (input-image coordinates) to
    ``value``, in place. Cell ``(i, j)`` has its centre at input position
    ``((j + 0.5) * stride, (i + 0.5) * stride)``."""
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    h, w = canvas.shape[:2]
    j0, i0 = np.floor(pts.min(0) / stride - 0.5).astype(int)
    j1, i1 = np.ceil(pts.max(0) / stride - 0.5).astype(int)
    j0, i0 = max(j0, 0), max(i0, 0)
    j1, i1 = min(j1, w - 1), min(i1, h - 1)
    if j1 < j0 or i1 < i0:
        return
    ii, jj = np.mgrid[i0:i1 + 1, j0:j1 + 1]
    centres = np.stack([(jj.ravel() + 0.5) * stride,
                        (ii.ravel() + 0.5) * stride], axis=1)
    inside = points_in_polygon(centres, pts)
    canvas[ii.ravel()[inside], jj.ravel()[inside]] = value


class EASTTargets:
    """Make EAST's per-pixel targets from polygon annotations.

    For every text polygon (a 4-point polygon as annotated, any other its
    minimum-area rectangle, see :func:`polygon_to_quad`):

    * the score map is 1 inside the quadrilateral shrunk by ``shrink_ratio``
      (:func:`shrink_quad`), 0 elsewhere;
    * at those pixels the geometry is RBOX (the minimum-area rectangle of
      the quadrilateral: 4 side distances + angle, :func:`rbox_geometry`)
      or QUAD (8 vertex offsets, :func:`quad_geometry`), in input pixels;
    * the loss mask is 0 over ignored polygons (``gt_instances.ignored``,
      e.g. ``###``), over polygons whose quadrilateral has a side shorter
      than ``min_text_size`` (when set) and over degenerate ones (area
      below one pixel), 1 elsewhere. Polygons are drawn in annotation
      order (a later one overwrites an earlier one where they overlap); the
      ignored regions are cleared last.

    Args:
        geometry (str): ``'RBOX'`` or ``'QUAD'``.
        shrink_ratio (float): The score map's shrink ratio. Defaults to 0.3
            (paper).
        min_text_size (float, optional): Mask out texts whose shorter side
            (in input pixels) is below this. The paper masks nothing; the
            authors' code uses 10. Defaults to None (off).
    """

    def __init__(self,
                 geometry: str = 'RBOX',
                 shrink_ratio: float = 0.3,
                 min_text_size: Optional[float] = None) -> None:
        if geometry not in ('RBOX', 'QUAD'):
            raise ValueError(
                f"geometry must be 'RBOX' or 'QUAD', got {geometry!r}")
        self.geometry = geometry
        self.shrink_ratio = shrink_ratio
        self.min_text_size = min_text_size

    @property
    def geo_channels(self) -> int:
        """Number of geometry channels: 5 (RBOX) or 8 (QUAD)."""
        return 5 if self.geometry == 'RBOX' else 8

    def _is_trainable(self, quad: np.ndarray) -> bool:
        if abs(signed_area(quad)) < 1:
            return False
        if self.min_text_size:
            edges = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)
            if edges.min() < self.min_text_size:
                return False
        return True

    def single(self, polygons: Sequence[np.ndarray], ignored: Sequence[bool],
               out_shape: Tuple[int, int],
               stride: int) -> Dict[str, np.ndarray]:
        """Targets of one image.

        Args:
            polygons (list[ndarray]): Polygons in input-image coordinates.
            ignored (list[bool]): Whether each polygon is ignored.
            out_shape (tuple[int, int]): ``(H, W)`` of the output maps.
            stride (int): Input pixels per output cell.

        Returns:
            dict: ``score`` (H, W), ``mask`` (H, W), ``geometry`` (C, H, W)
            and, for QUAD, ``norm`` (H, W): the shortest side of each
            pixel's quadrilateral (1 elsewhere). All float32.
        """
        h, w = out_shape
        score = np.zeros((h, w), np.float32)
        mask = np.ones((h, w), np.float32)
        geo = np.zeros((self.geo_channels, h, w), np.float32)
        norm = np.ones((h, w), np.float32)
        masked = []
        region = np.zeros((h, w), np.uint8)
        for polygon, ign in zip(polygons, ignored):
            poly = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
            if len(poly) < 3:
                continue
            quad = polygon_to_quad(poly)
            if ign or not self._is_trainable(quad):
                masked.append(poly)
                continue
            region[:] = 0
            fill_polygon(region, shrink_quad(quad, self.shrink_ratio),
                         stride, 1)
            ys, xs = np.nonzero(region)
            if len(ys) == 0:
                continue
            points = np.stack([(xs + 0.5) * stride, (ys + 0.5) * stride],
                              axis=1)
            score[ys, xs] = 1
            if self.geometry == 'RBOX':
                geo[:, ys, xs] = rbox_geometry(points, quad).T
            else:
                geo[:, ys, xs] = quad_geometry(points, quad).T
                edges = np.linalg.norm(
                    quad - np.roll(quad, -1, axis=0), axis=1)
                norm[ys, xs] = max(float(edges.min()), 1.0)
        for poly in masked:
            fill_polygon(mask, poly, stride, 0)
        out = dict(score=score, mask=mask, geometry=geo)
        if self.geometry == 'QUAD':
            out['norm'] = norm
        return out

    def __call__(self, data_samples: Sequence[TextDetDataSample],
                 out_shape: Tuple[int, int], stride: int,
                 device: torch.device) -> Dict[str, torch.Tensor]:
        """Batched targets as tensors on ``device`` (see :meth:`single`)."""
        per_image = []
        for sample in data_samples:
            gt = sample.gt_instances
            polygons = list(gt.polygons) if 'polygons' in gt else []
            if 'ignored' in gt:
                ignored = [bool(x) for x in gt.ignored]
            else:
                ignored = [False] * len(polygons)
            per_image.append(
                self.single(polygons, ignored, out_shape, stride))
        return {
            key: torch.from_numpy(np.stack([t[key] for t in per_image
                                            ])).to(device)
            for key in per_image[0]
        }
