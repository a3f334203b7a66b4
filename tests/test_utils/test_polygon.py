import math

import pytest

from mmtextknow.utils import polygon_area, polygon_problem


def test_area_of_unit_square_and_triangle():
    assert polygon_area([0, 0, 1, 0, 1, 1, 0, 1]) == pytest.approx(1.0)
    assert polygon_area([0, 0, 4, 0, 0, 3]) == pytest.approx(6.0)
    assert polygon_area([0, 0, 1, 1]) == 0.0


@pytest.mark.parametrize('polygon, problem', [
    ([0, 0, 10, 0, 10, 10, 0, 10], None),
    ([0, 0, 10, 0, 10], 'odd number'),
    ([0, 0, 10, 0, 0, 0, 10, 0], 'fewer than 3 distinct'),
    ([0, 0, 5, 5, 10, 10], 'zero area'),
    ([0, 0, 10, 0, math.nan, 10], 'non-finite'),
])
def test_polygon_problem(polygon, problem):
    found = polygon_problem(polygon)
    if problem is None:
        assert found is None
    else:
        assert problem in found
