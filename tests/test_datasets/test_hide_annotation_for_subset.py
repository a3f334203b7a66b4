import pytest

from mmtextknow.datasets.transforms import HideAnnotationForSubset


def _paths(n):
    return [f'/data/imgs/train/{i:05d}.jpg' for i in range(n)]


def test_hides_a_deterministic_share():
    hide = HideAnnotationForSubset(keys=('pixel_mask_path', ),
                                   hidden_fraction=0.5)
    hidden = [hide.is_hidden(p) for p in _paths(400)]
    assert 0.4 < sum(hidden) / 400 < 0.6
    assert hidden == [hide.is_hidden(p) for p in _paths(400)]
    # independent of where the data set lies
    assert hide.is_hidden('/a/train/00001.jpg') == hide.is_hidden(
        '/b/c/train/00001.jpg')


def test_sets_keys_to_none_only_for_hidden_images():
    hide = HideAnnotationForSubset(keys=('pixel_mask_path', ),
                                   hidden_fraction=0.5)
    for path in _paths(20):
        out = hide(dict(img_path=path, pixel_mask_path='m.png',
                        polygon_mask_path='p.png'))
        assert out['polygon_mask_path'] == 'p.png'
        expected = None if hide.is_hidden(path) else 'm.png'
        assert out['pixel_mask_path'] == expected


@pytest.mark.parametrize('fraction, hidden', [(0.0, 0), (1.0, 20)])
def test_extremes(fraction, hidden):
    hide = HideAnnotationForSubset(hidden_fraction=fraction)
    assert sum(hide.is_hidden(p) for p in _paths(20)) == hidden


def test_bad_fraction():
    with pytest.raises(ValueError):
        HideAnnotationForSubset(hidden_fraction=1.5)
