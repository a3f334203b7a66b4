# Copyright (c) mmtextknow contributors. All rights reserved.
"""EAST's quadrilateral geometry: vertex order, shrinking, the RBOX frame,
and restoring boxes from per-pixel geometry.

Conventions (image coordinates, x to the right, y down; a pixel ``k``
covers ``[k, k + 1)``):

* A quadrilateral is a ``(4, 2)`` array of vertices in clockwise order as
  seen on the image (positive shoelace area with y down).
* RBOX geometry of a pixel ``p`` is ``(d_top, d_right, d_bottom, d_left,
  theta)``: its distances to the four sides of a rotated rectangle and the
  rectangle's angle. The rectangle's "horizontal" axis is
  ``u = (cos theta, sin theta)``, its "down" axis ``v = (-sin theta,
  cos theta)``; theta lies in ``[-pi/4, pi/4)``, so "top" is the side whose
  direction is nearest to the image's x axis (Zhou et al., EAST, CVPR 2017,
  Sec. 3.3.2; the range is the one of the authors' head, which maps a
  sigmoid to ``[-pi/4, pi/4]``).
* QUAD geometry of a pixel is the 8 offsets ``(x_k - p_x, y_k - p_y)`` to
  the quadrilateral's vertices ``k = 0..3``.
"""
from typing import Tuple

import cv2
import numpy as np
import torch
from torch import Tensor


def polygon_to_quad(polygon: np.ndarray) -> np.ndarray:
    """The quadrilateral EAST trains on for an annotated polygon.

    A 4-point polygon is kept as it is (vertex order made clockwise); any
    other polygon (e.g. one clipped by a random crop) is replaced by its
    minimum-area rotated rectangle.

    Args:
        polygon (ndarray): ``(2n,)`` or ``(n, 2)`` coordinates.

    Returns:
        ndarray: ``(4, 2)`` float64 vertices, clockwise.
    """
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if len(pts) != 4:
        pts = cv2.boxPoints(cv2.minAreaRect(pts.astype(np.float32)))
        pts = pts.astype(np.float64)
    return order_clockwise(pts)


def signed_area(quad: np.ndarray) -> float:
    """Shoelace area; positive for clockwise vertices in image coordinates
    (y down)."""
    x, y = quad[:, 0], quad[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def order_clockwise(quad: np.ndarray) -> np.ndarray:
    """Reverse the vertex order of a counter-clockwise quadrilateral."""
    quad = np.asarray(quad, dtype=np.float64).reshape(4, 2)
    return quad[::-1].copy() if signed_area(quad) < 0 else quad.copy()


def shrink_quad(quad: np.ndarray, ratio: float = 0.3) -> np.ndarray:
    """Shrink a quadrilateral as EAST does for its score map.

    Each vertex ``p_i`` has the reference length ``r_i``, the shorter of
    its two adjacent edges. Each edge ``(p_i, p_j)`` is shrunk by moving
    its endpoints towards each other along the edge, ``p_i`` by
    ``ratio * r_i`` and ``p_j`` by ``ratio * r_j``; the longer pair of
    opposite edges (larger summed length) is shrunk first, then the other
    pair (EAST, Sec. 3.3.1, with ``ratio = 0.3``).

    Args:
        quad (ndarray): ``(4, 2)`` vertices in order (either direction).
        ratio (float): The shrink ratio. Defaults to 0.3.

    Returns:
        ndarray: The shrunk ``(4, 2)`` quadrilateral, same vertex order.
    """
    p = np.asarray(quad, dtype=np.float64).reshape(4, 2).copy()
    edge = np.linalg.norm(p - np.roll(p, -1, axis=0), axis=1)  # p_i->p_i+1
    ref = np.minimum(edge, np.roll(edge, 1))  # edges at vertex i
    first = [(0, 1), (2, 3)]
    second = [(1, 2), (3, 0)]
    if edge[0] + edge[2] <= edge[1] + edge[3]:
        first, second = second, first
    for i, j in first + second:
        d = p[j] - p[i]
        length = np.linalg.norm(d)
        if length == 0:
            continue
        u = d / length
        p[i] = p[i] + ratio * ref[i] * u
        p[j] = p[j] - ratio * ref[j] * u
    return p


def rbox_frame(quad: np.ndarray) -> Tuple[float, np.ndarray, np.ndarray]:
    """The minimum-area rectangle covering a quadrilateral, in RBOX form.

    Args:
        quad (ndarray): ``(4, 2)`` vertices.

    Returns:
        tuple: ``(theta, s_range, t_range)``: the angle in
        ``[-pi/4, pi/4)`` and the rectangle's extent ``[min, max]`` along
        ``u`` and along ``v`` (coordinates projected on the axes, origin at
        the image origin).
    """
    rect = cv2.minAreaRect(np.asarray(quad, dtype=np.float32).reshape(4, 2))
    corners = cv2.boxPoints(rect).astype(np.float64)
    e = corners[1] - corners[0]
    theta = float(np.arctan2(e[1], e[0]))
    # Any side direction works: fold by quarter turns into [-pi/4, pi/4).
    theta = (theta + np.pi / 4) % (np.pi / 2) - np.pi / 4
    u = np.array([np.cos(theta), np.sin(theta)])
    v = np.array([-np.sin(theta), np.cos(theta)])
    # Project the quadrilateral itself (it lies inside its rectangle, whose
    # extents are the quad's extents along the rectangle's axes).
    pts = np.asarray(quad, dtype=np.float64).reshape(4, 2)
    s, t = pts @ u, pts @ v
    return theta, np.array([s.min(), s.max()]), np.array([t.min(), t.max()])


def rbox_geometry(points: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """RBOX geometry of ``points`` w.r.t. the rectangle of ``quad``.

    Args:
        points (ndarray): ``(N, 2)`` pixel positions ``(x, y)``.
        quad (ndarray): ``(4, 2)`` vertices.

    Returns:
        ndarray: ``(N, 5)`` float32: ``d_top, d_right, d_bottom, d_left,
        theta``.
    """
    theta, (s0, s1), (t0, t1) = rbox_frame(quad)
    u = np.array([np.cos(theta), np.sin(theta)])
    v = np.array([-np.sin(theta), np.cos(theta)])
    s = points @ u
    t = points @ v
    out = np.stack(
        [t - t0, s1 - s, t1 - t, s - s0,
         np.full_like(s, theta)], axis=1)
    return out.astype(np.float32)


def quad_geometry(points: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """QUAD geometry: ``(N, 8)`` offsets from ``points`` to the vertices."""
    offsets = quad.reshape(1, 4, 2) - points.reshape(-1, 1, 2)
    return offsets.reshape(-1, 8).astype(np.float32)


def restore_rbox(points: Tensor, geometry: Tensor) -> Tensor:
    """Rectangles from RBOX geometry.

    Args:
        points (Tensor): ``(N, 2)`` pixel positions ``(x, y)``.
        geometry (Tensor): ``(N, 5)``: ``d_top, d_right, d_bottom, d_left,
            theta``.

    Returns:
        Tensor: ``(N, 8)`` vertices ``x0, y0, ..., x3, y3`` clockwise from
        the rectangle's top-left corner (top-left, top-right, bottom-right,
        bottom-left in its own frame).
    """
    top, right, bottom, left, theta = geometry.unbind(-1)
    cos, sin = torch.cos(theta), torch.sin(theta)
    u = torch.stack([cos, sin], dim=-1)
    v = torch.stack([-sin, cos], dim=-1)
    # corner = p + s * u + t * v with s in {-left, right}, t in {-top,
    # bottom}.
    s = torch.stack([-left, right, right, -left], dim=-1)
    t = torch.stack([-top, -top, bottom, bottom], dim=-1)
    corners = (points[:, None, :] + s[..., None] * u[:, None, :] +
               t[..., None] * v[:, None, :])
    return corners.reshape(-1, 8)


def restore_quad(points: Tensor, geometry: Tensor) -> Tensor:
    """Quadrilaterals from QUAD geometry: ``(N, 8)`` vertices."""
    return geometry + points.repeat(1, 4)
