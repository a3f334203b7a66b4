"""RandomHideOneMask: single-mask data pairs (MGNet eq. 2) drawn from fully
annotated samples, deterministically per seed."""
import numpy as np
import pytest

from mmocr.registry import TRANSFORMS
from mmtextknow.datasets.transforms import RandomHideOneMask


def _results(has_pixel=True, has_polygon=True):
    pixel = np.zeros((6, 8), np.uint8)
    pixel[2:4, 1:7] = 1
    polygon = np.zeros((6, 8), np.uint8)
    polygon[1:5, 0:8] = 1
    return dict(img_path='imgs/train/00001.jpg',
                gt_pixel_mask=pixel if has_pixel else np.zeros_like(pixel),
                gt_polygon_mask=polygon if has_polygon else np.zeros_like(
                    polygon),
                has_pixel_mask=has_pixel, has_polygon_mask=has_polygon)


def _kept(transform, n, **flags):
    """Which mask each of n draws keeps: 'pixel', 'polygon' or 'both'."""
    kept = []
    for _ in range(n):
        out = transform(_results(**flags))
        assert out['has_pixel_mask'] or out['has_polygon_mask']
        if out['has_pixel_mask'] and out['has_polygon_mask']:
            kept.append('both')
        else:
            kept.append('pixel' if out['has_pixel_mask'] else 'polygon')
    return kept


def test_registered_and_builds():
    hide = TRANSFORMS.build(dict(type='RandomHideOneMask', seed=3))
    assert isinstance(hide, RandomHideOneMask)
    assert 'prob=1.0' in repr(hide) and 'seed=3' in repr(hide)


def test_every_both_mask_sample_becomes_a_single_mask_pair():
    kept = _kept(RandomHideOneMask(seed=0), 400)
    assert 'both' not in kept
    # pixel_prob 0.5: either pair with equal chance (binomial sd 10).
    assert 160 < kept.count('pixel') < 240


def test_hidden_mask_is_zeroed_and_the_kept_one_untouched():
    hide = RandomHideOneMask(seed=1)
    for _ in range(20):
        ref = _results()
        out = hide(_results())
        hidden = 'pixel' if not out['has_pixel_mask'] else 'polygon'
        kept = 'polygon' if hidden == 'pixel' else 'pixel'
        assert out[f'gt_{hidden}_mask'].shape == (6, 8)
        assert out[f'gt_{hidden}_mask'].dtype == np.uint8
        assert not out[f'gt_{hidden}_mask'].any()
        np.testing.assert_array_equal(out[f'gt_{kept}_mask'],
                                      ref[f'gt_{kept}_mask'])


@pytest.mark.parametrize('flags', [
    dict(has_pixel=True, has_polygon=False),
    dict(has_pixel=False, has_polygon=True),
])
def test_never_hides_the_only_mask(flags):
    hide = RandomHideOneMask(prob=1.0, pixel_prob=0.5, seed=2)
    for _ in range(50):
        ref = _results(**flags)
        out = hide(_results(**flags))
        for key in ('has_pixel_mask', 'has_polygon_mask'):
            assert out[key] == ref[key]
        for key in ('gt_pixel_mask', 'gt_polygon_mask'):
            np.testing.assert_array_equal(out[key], ref[key])


def test_sample_without_masks_or_flags_is_unchanged():
    out = RandomHideOneMask(seed=0)(dict(img_path='a.jpg'))
    assert out == dict(img_path='a.jpg')


def test_deterministic_per_seed_with_its_own_generator():
    first = _kept(RandomHideOneMask(seed=7), 100)
    assert first == _kept(RandomHideOneMask(seed=7), 100)
    assert first != _kept(RandomHideOneMask(seed=8), 100)
    # Its own generator leaves numpy's global stream alone.
    np.random.seed(0)
    expected = np.random.random_sample(3)
    np.random.seed(0)
    _kept(RandomHideOneMask(seed=7), 10)
    np.testing.assert_array_equal(np.random.random_sample(3), expected)


def test_deterministic_per_global_seed_without_a_seed():
    """seed=None draws from numpy's global RNG, which mmengine seeds."""
    np.random.seed(5)
    first = _kept(RandomHideOneMask(), 100)
    np.random.seed(5)
    assert first == _kept(RandomHideOneMask(), 100)
    np.random.seed(6)
    assert first != _kept(RandomHideOneMask(), 100)


def test_decisions_do_not_depend_on_the_data():
    """Draws are made for every sample, whatever it carries: one-mask
    samples in the stream do not shift the decisions of the others."""
    plain = _kept(RandomHideOneMask(seed=4), 30)
    hide = RandomHideOneMask(seed=4)
    for j in range(30):
        if j % 3 == 0:
            assert _kept(hide, 1, has_pixel=False) == ['polygon']
        else:
            assert _kept(hide, 1) == [plain[j]]


@pytest.mark.parametrize('prob, pixel_prob, allowed', [
    (0.0, 0.5, {'both'}),
    (1.0, 1.0, {'polygon'}),
    (1.0, 0.0, {'pixel'}),
])
def test_extremes(prob, pixel_prob, allowed):
    kept = _kept(RandomHideOneMask(prob=prob, pixel_prob=pixel_prob, seed=0),
                 50)
    assert set(kept) == allowed


def test_partial_prob_keeps_a_share_of_both_mask_samples():
    kept = _kept(RandomHideOneMask(prob=0.25, seed=0), 400)
    assert 60 < 400 - kept.count('both') < 140


@pytest.mark.parametrize('kwargs', [
    dict(prob=1.5), dict(prob=-0.1), dict(pixel_prob=2.0), dict(seed=-1),
    dict(seed=1.5)
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        RandomHideOneMask(**kwargs)


def test_flag_without_mask_is_an_error_naming_the_image():
    results = _results()
    del results['gt_pixel_mask']
    hide = RandomHideOneMask(prob=1.0, pixel_prob=1.0, seed=0)
    with pytest.raises(KeyError, match='00001.jpg'):
        hide(results)
