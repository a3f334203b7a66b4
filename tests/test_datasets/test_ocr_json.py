# Copyright (c) mmtextknow contributors. All rights reserved.
import json

from mmtextknow.datasets.ocr_json import (TEXTDET_METAINFO, dump_ocr_json,
                                          textdet_instance)


def test_textdet_instance():
    polygon = [10.0, 5.0, 30.0, 5.0, 30.0, 20.0, -0.0, 20.0]
    inst = textdet_instance(polygon, 'Straße', ignore=True, shape='rotated')
    assert list(inst) == [
        'polygon', 'bbox', 'bbox_label', 'ignore', 'text', 'shape'
    ]
    assert inst['polygon'] is polygon
    assert inst['bbox'] == [0.0, 5.0, 30.0, 20.0]
    assert inst['bbox_label'] == 0 and inst['ignore'] is True
    assert inst['text'] == 'Straße' and inst['shape'] == 'rotated'
    assert textdet_instance(polygon, 'x')['ignore'] is False


def test_dump_ocr_json(tmp_path):
    data_list = [
        dict(
            img_path='a.jpg',
            height=4,
            width=6,
            instances=[textdet_instance([0, 0, 2, 0, 2, 2], '東京')])
    ]
    out = tmp_path / 'sub' / 'ann.json'
    dump_ocr_json(data_list, out, dict(generator=dict(seed=0)))
    raw = out.read_bytes()
    assert '東京'.encode('utf-8') in raw  # ensure_ascii=False, UTF-8
    assert not raw.endswith(b'\n')
    content = json.loads(raw.decode('utf-8'))
    assert list(content) == ['metainfo', 'data_list']
    assert list(content['metainfo']) == [
        'dataset_type', 'task_name', 'category', 'generator'
    ]
    assert content['metainfo']['generator'] == {'seed': 0}
    assert content['data_list'] == data_list
    assert 'generator' not in TEXTDET_METAINFO  # not modified

    again = tmp_path / 'again.json'
    dump_ocr_json(data_list, again, dict(generator=dict(seed=0)))
    assert again.read_bytes() == raw  # deterministic

    plain = tmp_path / 'plain.json'
    dump_ocr_json(data_list, plain)
    assert json.loads(plain.read_text('utf-8'))['metainfo'] == \
        TEXTDET_METAINFO
