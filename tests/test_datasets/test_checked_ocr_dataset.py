import json

import numpy as np
import pytest
from PIL import Image

from mmtextknow.datasets import CheckedOCRDataset
from mmtextknow.utils import DataError

SQUARE = [10, 10, 50, 10, 50, 30, 10, 30]


def _write_image(path, size=(64, 48)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.zeros((size[1], size[0], 3), np.uint8)).save(path)


def _write_ann(root, data_list, name='ann.json'):
    ann = {'metainfo': {'dataset_type': 'TextDetDataset',
                        'task_name': 'textdet',
                        'category': [{'id': 0, 'name': 'text'}]},
           'data_list': data_list}
    (root / name).write_text(json.dumps(ann), encoding='utf-8')
    return name


def _item(img_path, polygons, **extra):
    return dict(img_path=img_path, height=48, width=64, instances=[
        dict(polygon=p, bbox=[0, 0, 1, 1], bbox_label=0, ignore=False,
             text='a') for p in polygons], **extra)


def test_degenerate_polygons_and_missing_images_are_dropped_and_counted(
        tmp_path):
    _write_image(tmp_path / 'imgs' / 'a.png')
    _write_image(tmp_path / 'imgs' / 'b.png')
    ann = _write_ann(tmp_path, [
        _item('imgs/a.png', [SQUARE, [0, 0, 5, 5, 10, 10], [1, 1, 2, 2]]),
        _item('imgs/b.png', [SQUARE]),
        _item('imgs/missing.png', [SQUARE]),
    ])
    dataset = CheckedOCRDataset(ann_file=ann, data_root=str(tmp_path),
                                pipeline=[])
    assert len(dataset) == 2
    assert dataset.skipped == {'degenerate_polygon': 2, 'missing_image': 1}
    assert len(dataset.get_data_info(0)['instances']) == 1
    assert len(dataset.get_data_info(1)['instances']) == 1


def test_mask_paths_are_joined_with_data_root(tmp_path):
    _write_image(tmp_path / 'a.png')
    ann = _write_ann(tmp_path, [
        _item('a.png', [SQUARE], pixel_mask_path='m/p.png',
              polygon_mask_path='m/q.png')])
    info = CheckedOCRDataset(ann_file=ann, data_root=str(tmp_path),
                             pipeline=[]).get_data_info(0)
    assert info['pixel_mask_path'] == str(tmp_path / 'm' / 'p.png')
    assert info['polygon_mask_path'] == str(tmp_path / 'm' / 'q.png')


@pytest.mark.parametrize('content, message', [
    (None, 'annotation file not found'),
    ('', 'annotation file is empty'),
    ('  \n', 'annotation file is empty'),
    ('{"metainfo": {', 'not valid JSON'),
    ('[1, 2]', 'expected a JSON object'),
])
def test_bad_annotation_files_name_the_file(tmp_path, content, message):
    ann = tmp_path / 'ann.json'
    if content is not None:
        ann.write_text(content, encoding='utf-8')
    with pytest.raises(DataError, match=message) as err:
        CheckedOCRDataset(ann_file=str(ann), pipeline=[])
    assert str(ann) in str(err.value)


def test_nothing_usable_is_an_error(tmp_path):
    ann = _write_ann(tmp_path, [_item('nope.png', [SQUARE])])
    with pytest.raises(DataError, match='no usable data item'):
        CheckedOCRDataset(ann_file=ann, data_root=str(tmp_path), pipeline=[])


def test_image_check_can_be_disabled(tmp_path):
    ann = _write_ann(tmp_path, [_item('nope.png', [SQUARE])])
    dataset = CheckedOCRDataset(ann_file=ann, data_root=str(tmp_path),
                                pipeline=[], check_images=False)
    assert len(dataset) == 1


def test_spotting_data_must_have_texts(tmp_path):
    _write_image(tmp_path / 'imgs' / 'a.png')
    with_texts = _item('imgs/a.png', [SQUARE])
    ann = _write_ann(tmp_path, [with_texts], name='spot.json')
    dataset = CheckedOCRDataset(ann_file=ann, data_root=str(tmp_path),
                                pipeline=[], require_texts=True)
    assert dataset.get_data_info(0)['instances'][0]['text'] == 'a'
    # a detection-only JSON (no transcripts) is refused, naming the files
    det_only = _item('imgs/a.png', [SQUARE])
    del det_only['instances'][0]['text']
    ann = _write_ann(tmp_path, [det_only], name='det.json')
    with pytest.raises(DataError, match=r'det\.json: .*imgs/a\.png has no'):
        CheckedOCRDataset(ann_file=ann, data_root=str(tmp_path),
                          pipeline=[], require_texts=True)
    # detection datasets do not need them
    assert len(CheckedOCRDataset(ann_file=ann, data_root=str(tmp_path),
                                 pipeline=[])) == 1
