"""EAST's targets on hand-made rotated boxes: the shrunk score map, the
RBOX distances and angle and the QUAD offsets at known pixels, the masked
``###`` regions; and the round trip target -> boxes."""
import math

import numpy as np
import pytest
import torch

from mmtextknow.models.textdet.east import (EASTTargets, polygon_to_quad,
                                            rbox_geometry, restore_quad,
                                            restore_rbox, shrink_quad)

STRIDE = 4


def rotated_rect(cx, cy, w, h, deg):
    """Corners TL, TR, BR, BL of a w x h rectangle turned by ``deg``
    (clockwise on the image, y down)."""
    a = math.radians(deg)
    u = np.array([math.cos(a), math.sin(a)])
    v = np.array([-math.sin(a), math.cos(a)])
    c = np.array([cx, cy])
    return np.stack([c - u * w / 2 - v * h / 2, c + u * w / 2 - v * h / 2,
                     c + u * w / 2 + v * h / 2, c - u * w / 2 + v * h / 2])


def test_shrink_axis_aligned_rectangle_by_hand():
    # 100 x 20: every vertex's reference length is the short side 20, so
    # each side moves in by 0.3 * 20 = 6.
    quad = np.array([[0, 0], [100, 0], [100, 20], [0, 20]], float)
    np.testing.assert_allclose(
        shrink_quad(quad), [[6, 6], [94, 6], [94, 14], [6, 14]], atol=1e-9)


def test_shrink_uses_each_vertex_reference_length():
    # Trapezoid p0 (0,0) p1 (40,0) p2 (20,10) p3 (0,10); edges e0 = 40,
    # e1 = sqrt(500), e2 = 20, e3 = 10; r_i = min(e_i, e_(i-1)):
    # r = 10, sqrt(500), 20, 10. e0 + e2 > e1 + e3: (p0p1), (p2p3) first.
    quad = np.array([[0, 0], [40, 0], [20, 10], [0, 10]], float)
    r1 = math.sqrt(500)
    p0 = np.array([0.3 * 10, 0.])  # along +x by 0.3 r0
    p1 = np.array([40 - 0.3 * r1, 0.])  # along -x by 0.3 r1
    p2 = np.array([20 - 0.3 * 20, 10.])  # along -x by 0.3 r2
    p3 = np.array([0.3 * 10, 10.])  # along +x by 0.3 r3
    # then (p1p2) along its current direction, and (p3p0) (vertical)
    u = (p2 - p1) / np.linalg.norm(p2 - p1)
    p1, p2 = p1 + 0.3 * r1 * u, p2 - 0.3 * 20 * u
    p3, p0 = p3 + [0, -3], p0 + [0, 3]
    expected = np.stack([p0, p1, p2, p3])
    np.testing.assert_allclose(shrink_quad(quad, 0.3), expected, atol=1e-9)
    # the numbers: (3, 3), (27.336, 3.087), (19.327, 7.239), (3, 7)
    np.testing.assert_allclose(
        expected, [[3, 3], [27.336, 3.087], [19.327, 7.239], [3, 7]],
        atol=1e-3)


def test_rotated_rectangle_shrinks_by_its_short_side():
    quad = rotated_rect(66, 66, 80, 24, 30)
    np.testing.assert_allclose(
        shrink_quad(quad), rotated_rect(66, 66, 80 - 2 * 7.2, 24 - 2 * 7.2,
                                        30), atol=1e-9)


def test_rbox_geometry_by_hand_and_angle_folding():
    quad = rotated_rect(66, 66, 80, 24, 30)
    a = math.radians(30)
    u = np.array([math.cos(a), math.sin(a)])
    v = np.array([-math.sin(a), math.cos(a)])
    p = np.array([66, 66]) + 5 * u + 2 * v  # local (s, t) = (5, 2)
    np.testing.assert_allclose(
        rbox_geometry(p[None], quad)[0], [14, 35, 10, 45, a], atol=1e-4)
    # At 60 degrees the long side is nearer the y axis: theta folds to -30
    # degrees and the long side becomes "top-bottom" (h 80, w 24).
    quad = rotated_rect(66, 66, 80, 24, 60)
    a = math.radians(60)
    u0 = np.array([math.cos(a), math.sin(a)])
    v0 = np.array([-math.sin(a), math.cos(a)])
    p = np.array([66, 66]) + 5 * u0 + 2 * v0
    np.testing.assert_allclose(
        rbox_geometry(p[None], quad)[0],
        [45, 14, 35, 10, math.radians(-30)], atol=1e-4)


def test_targets_at_known_pixels():
    # The rectangle's centre (66, 66) is the centre of cell (16, 16).
    quad = rotated_rect(66, 66, 80, 24, 30)
    ignored = np.array([[100, 100], [124, 100], [124, 120], [100, 120]])
    t = EASTTargets('RBOX').single([quad.reshape(-1), ignored.reshape(-1)],
                                   [False, True], (32, 40), STRIDE)
    assert t['score'].shape == (32, 40) and t['geometry'].shape == (5, 32,
                                                                    40)
    a = math.radians(30)
    # centre cell: local (0, 0)
    assert t['score'][16, 16] == 1
    np.testing.assert_allclose(t['geometry'][:, 16, 16], [12, 40, 12, 40, a],
                               atol=1e-4)
    # cell (16, 18): (74, 66), offset (8, 0): s = 8 cos 30, t = -8 sin 30
    s, tt = 8 * math.cos(a), -8 * math.sin(a)
    assert t['score'][16, 18] == 1
    np.testing.assert_allclose(
        t['geometry'][:, 16, 18], [12 + tt, 40 - s, 12 - tt, 40 + s, a],
        atol=1e-4)
    # cell (14, 16): (66, 58): t = -8 cos 30 = -6.9, outside the shrunk box
    # (|t| < 4.8) but inside the text: a negative, still in the loss
    assert t['score'][14, 16] == 0 and t['mask'][14, 16] == 1
    assert np.all(t['geometry'][:, 14, 16] == 0)
    # the '###' box (cells 25..30 x 25..29): masked, no score
    assert t['mask'][27, 27] == 0 and t['score'][27, 27] == 0
    assert t['mask'][10, 5] == 1
    # the score region is the shrunk rectangle: 65.6 x 9.6 = 630 px^2 ~ 39
    # cells of 16 px^2
    assert 30 <= t['score'].sum() <= 48


def test_min_text_size_and_degenerate_polygons_are_masked():
    small = np.array([[8, 8], [60, 8], [60, 14], [8, 14]], float)  # 6 high
    flat = np.array([[8, 40], [60, 40], [60, 40.5], [8, 40.5]], float)
    t = EASTTargets('RBOX', min_text_size=10).single(
        [small, flat], [False, False], (16, 16), STRIDE)
    assert t['score'].sum() == 0
    assert t['mask'][2, 5] == 0  # centre (22, 10) inside ``small``
    t = EASTTargets('RBOX').single([small], [False], (16, 16), STRIDE)
    assert t['mask'].all()


def test_quad_targets_by_hand():
    quad = np.array([[20, 20], [100, 28], [96, 60], [24, 52]], float)
    t = EASTTargets('QUAD').single([quad], [False], (24, 32), STRIDE)
    # cell (9, 14): centre (58, 38)
    assert t['score'][9, 14] == 1
    np.testing.assert_allclose(t['geometry'][:, 9, 14],
                               (quad - [58, 38]).reshape(-1))
    # shortest side: (100,28)-(96,60) = sqrt(16 + 1024)
    assert t['norm'][9, 14] == pytest.approx(math.sqrt(1040))


def test_counter_clockwise_and_many_point_polygons():
    ccw = rotated_rect(66, 66, 80, 24, 30)[::-1]
    np.testing.assert_allclose(polygon_to_quad(ccw), ccw[::-1])
    # 8-point polygon (e.g. clipped by a crop) -> its min-area rectangle
    octo = np.array([[10, 10], [30, 10], [50, 10], [50, 20], [50, 30],
                     [30, 30], [10, 30], [10, 20]], float)
    q = polygon_to_quad(octo)
    assert q.shape == (4, 2)
    assert sorted(map(tuple, q.round(3))) == [(10, 10), (10, 30), (50, 10),
                                              (50, 30)]


def _cyclic_close(a, b, atol):
    a, b = np.asarray(a).reshape(4, 2), np.asarray(b).reshape(4, 2)
    return any(np.allclose(np.roll(a, k, 0), b, atol=atol) for k in range(4))


@pytest.mark.parametrize('deg', [0, 17, 30, -40, 60, 90, 135])
def test_round_trip_rbox_targets_to_boxes(deg):
    quad = rotated_rect(70, 62, 90, 30, deg)
    t = EASTTargets('RBOX').single([quad], [False], (32, 36), STRIDE)
    ys, xs = np.nonzero(t['score'])
    assert len(ys) > 5
    points = torch.tensor(np.stack([(xs + .5) * STRIDE, (ys + .5) * STRIDE],
                                   1), dtype=torch.float64)
    geo = torch.tensor(t['geometry'][:, ys, xs].T, dtype=torch.float64)
    boxes = restore_rbox(points, geo).numpy()
    for box in boxes:
        assert _cyclic_close(box, quad, atol=1e-3)


def test_round_trip_quad_targets_to_boxes():
    quad = np.array([[20, 20], [100, 28], [96, 60], [24, 52]], float)
    t = EASTTargets('QUAD').single([quad], [False], (24, 32), STRIDE)
    ys, xs = np.nonzero(t['score'])
    points = torch.tensor(np.stack([(xs + .5) * STRIDE, (ys + .5) * STRIDE],
                                   1), dtype=torch.float64)
    geo = torch.tensor(t['geometry'][:, ys, xs].T, dtype=torch.float64)
    boxes = restore_quad(points, geo).numpy()
    np.testing.assert_allclose(boxes, np.tile(quad.reshape(1, 8),
                                              (len(boxes), 1)), atol=1e-4)
