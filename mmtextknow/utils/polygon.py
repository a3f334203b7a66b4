"""Validity checks for text polygons given as flat ``[x1, y1, x2, y2, ...]``."""
from typing import List, Optional, Sequence

import numpy as np

MIN_POLYGON_AREA = 1e-6


def polygon_area(polygon: Sequence[float]) -> float:
    """Unsigned area of a flat polygon by the shoelace formula.

    Args:
        polygon: ``[x1, y1, x2, y2, ...]``.

    Returns:
        float: The area (0 for fewer than 3 points).
    """
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 3:
        return 0.0
    x, y = pts[:, 0], pts[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def polygon_problem(polygon: Sequence[float]) -> Optional[str]:
    """Say what makes a polygon unusable, if anything.

    A polygon is unusable when it has an odd number of coordinates, fewer
    than 3 distinct points, a non-finite coordinate, or zero area.

    Args:
        polygon: ``[x1, y1, x2, y2, ...]``.

    Returns:
        str or None: A short description of the problem, or None if the
        polygon is usable.
    """
    coords = np.asarray(polygon, dtype=np.float64).ravel()
    if coords.size % 2:
        return f'odd number of coordinates ({coords.size})'
    if not np.isfinite(coords).all():
        return 'non-finite coordinate'
    distinct = np.unique(coords.reshape(-1, 2), axis=0)
    if len(distinct) < 3:
        return f'fewer than 3 distinct points ({len(distinct)})'
    if polygon_area(coords) < MIN_POLYGON_AREA:
        return 'zero area'
    return None


def polygon_to_bbox(polygon: Sequence[float]) -> List[float]:
    """Axis-aligned box of a flat polygon.

    Args:
        polygon: ``[x1, y1, x2, y2, ...]``.

    Returns:
        list[float]: ``[x_min, y_min, x_max, y_max]``.
    """
    xs = [float(v) for v in polygon[0::2]]
    ys = [float(v) for v in polygon[1::2]]
    return [min(xs), min(ys), max(xs), max(ys)]
