"""DatasetFraction: a seeded random share of a dataset."""
import pytest
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS

import mmtextknow  # noqa: F401


def _dataset(root):
    return dict(
        type='OCRDataset',
        data_root=str(root),
        ann_file='textdet_train.json',
        pipeline=[])


def test_fraction_is_seeded_and_nested(tiny_toy_data):
    init_default_scope('mmocr')
    full = DATASETS.build(_dataset(tiny_toy_data))
    assert len(full) == 6
    half = DATASETS.build(
        dict(type='DatasetFraction', dataset=_dataset(tiny_toy_data),
             fraction=0.5, seed=1))
    assert len(half) == 3
    again = DATASETS.build(
        dict(type='DatasetFraction', dataset=_dataset(tiny_toy_data),
             fraction=0.5, seed=1))
    paths = [half[i]['img_path'] for i in range(3)]
    assert paths == [again[i]['img_path'] for i in range(3)]
    assert len(set(paths)) == 3
    assert set(paths) <= {full[i]['img_path'] for i in range(6)}
    small = DATASETS.build(
        dict(type='DatasetFraction', dataset=_dataset(tiny_toy_data),
             fraction=0.2, seed=1))
    assert len(small) == 1  # round(1.2), at least one
    assert small[0]['img_path'] in paths  # a prefix of the same permutation
    assert half.metainfo == full.metainfo


@pytest.mark.parametrize('fraction', [0, -0.1, 1.5])
def test_bad_fraction(fraction, tiny_toy_data):
    init_default_scope('mmocr')
    with pytest.raises(ValueError, match='fraction must be in'):
        DATASETS.build(
            dict(type='DatasetFraction', dataset=_dataset(tiny_toy_data),
                 fraction=fraction))
