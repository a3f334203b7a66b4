# Copyright (c) mmtextknow contributors. All rights reserved.
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.io
from PIL import Image

from mmtextknow.datasets.converters.synthtext_words import (
    convert_det_json_words, convert_synthtext_words, load_synthtext_gt)
from mmtextknow.utils import DataError, run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = REPO_ROOT / 'tools' / 'dataset_converters' / 'synthtext_words.py'


def cell_row(items):
    """A 1 x N MATLAB cell array (numpy object array), as in gt.mat."""
    cells = np.empty((1, len(items)), dtype=object)
    for i, item in enumerate(items):
        cells[0, i] = item
    return cells


def write_gt_mat(path: Path, imnames, txts) -> Path:
    """Mimic SynthText's gt.mat: imnames / txt / wordBB cells.

    Each ``txt`` cell is a list of strings, saved as a char matrix (rows
    right-padded with spaces by MATLAB / savemat), like the real file.
    """
    scipy.io.savemat(
        str(path),
        dict(
            imnames=cell_row([np.array([n]) for n in imnames]),
            txt=cell_row([np.array(t) for t in txts]),
            wordBB=cell_row([np.zeros((2, 4, 1)) for _ in imnames])))
    return path


def load_cli():
    spec = importlib.util.spec_from_file_location('synthtext_words_cli', CLI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def gt_mat(tmp_path):
    return write_gt_mat(tmp_path / 'gt.mat', [
        '8/ballet_106_0.jpg', '8/ballet_106_1.jpg', '2/empty_0.jpg',
        '3/hi_0.jpg'
    ], [
        ['Lines:\nI lost', 'Kevin ', 'will'],
        ['the\n  Q&A  ZOO'],
        ['   '],  # only whitespace: image without words
        ['hi', ''],
    ])


def read_json(path):
    return json.loads(Path(path).read_text(encoding='utf-8'))


def words(item):
    return [inst['text'] for inst in item['instances']]


def test_loader_reads_savemat_layout(gt_mat):
    imnames, txts = load_synthtext_gt(gt_mat)
    assert imnames[0] == '8/ballet_106_0.jpg'
    assert len(txts) == 4


def test_synthtext_to_json(gt_mat, tmp_path):
    out = tmp_path / 'out' / 'words.json'
    report = convert_synthtext_words(
        gt_mat, out, img_prefix='SynthText/', progress=False)
    content = read_json(out)
    assert content['metainfo']['task_name'] == 'textseq'
    data = content['data_list']
    assert [d['img_path'] for d in data] == [
        'SynthText/8/ballet_106_0.jpg', 'SynthText/8/ballet_106_1.jpg',
        'SynthText/3/hi_0.jpg'
    ]
    assert words(data[0]) == ['Lines:', 'I', 'lost', 'Kevin', 'will']
    assert words(data[1]) == ['the', 'Q&A', 'ZOO']
    assert words(data[2]) == ['hi']
    assert all(inst == dict(text=inst['text'], ignore=False) for d in data
               for inst in d['instances'])
    assert 'height' not in data[0] and 'bbox' not in data[0]['instances'][0]
    assert report.num_images == 3
    assert report.num_words == 9
    assert report.num_images_without_words == 1
    assert report.num_empty_texts == 2  # '   ' and ''
    assert report.num_split_texts == 2
    assert 'images skipped (no word): 1' in report.summary()


def test_read_size_and_limit(gt_mat, tmp_path):
    (tmp_path / '8').mkdir()
    Image.new('RGB', (30, 20)).save(tmp_path / '8' / 'ballet_106_0.jpg')
    out = tmp_path / 'sized.json'
    report = convert_synthtext_words(
        gt_mat, out, read_size=True, limit=2, progress=False)
    data = read_json(out)['data_list']
    assert len(data) == 1
    assert (data[0]['height'], data[0]['width']) == (20, 30)
    assert report.num_missing_images == 1
    report = convert_synthtext_words(gt_mat, out, limit=1, progress=False)
    assert report.num_images == 1
    assert len(read_json(out)['data_list']) == 1
    with pytest.raises(ValueError):
        convert_synthtext_words(gt_mat, out, limit=0)


def test_det_json_mode(tmp_path):
    det = tmp_path / 'textdet.json'
    box = dict(polygon=[0, 0, 1, 0, 1, 1], bbox=[0, 0, 1, 1], bbox_label=0)
    det.write_text(
        json.dumps(
            dict(
                metainfo=dict(task_name='textdet'),
                data_list=[
                    dict(
                        img_path='imgs/a.jpg',
                        height=10,
                        width=20,
                        instances=[
                            dict(box, text='Hello', ignore=False),
                            dict(box, text='###', ignore=True),
                            dict(box, text='', ignore=False),
                            dict(box, text='New York', ignore=False),
                        ]),
                    dict(
                        img_path='imgs/b.jpg',
                        instances=[dict(box, text='###', ignore=True)]),
                    dict(img_path='imgs/c.jpg', instances=[]),
                    dict(
                        img_path='imgs/d.jpg',
                        instances=[dict(box, text='d', ignore=False)]),
                ])))
    out = tmp_path / 'words.json'
    report = convert_det_json_words(det, out, progress=False)
    data = read_json(out)['data_list']
    assert len(data) == 2
    assert data[0] == dict(
        img_path='imgs/a.jpg',
        height=10,
        width=20,
        instances=[
            dict(text='Hello', ignore=False),
            dict(text='###', ignore=True),
            dict(text='New', ignore=False),
            dict(text='York', ignore=False)
        ])
    assert report.num_ignored_words == 1
    assert report.num_empty_texts == 1
    assert report.num_split_texts == 1
    assert report.num_images_without_words == 2
    report = convert_det_json_words(det, out, limit=1, progress=False)
    assert report.num_images == 1


def test_errors(tmp_path):
    with pytest.raises(DataError, match='missing.mat: file not found'):
        convert_synthtext_words(tmp_path / 'missing.mat', tmp_path / 'o.json')
    bad = tmp_path / 'bad.mat'
    bad.write_bytes(b'not a MATLAB file at all' * 10)
    with pytest.raises(DataError, match='bad.mat: cannot read MATLAB file'):
        convert_synthtext_words(bad, tmp_path / 'o.json')
    other = tmp_path / 'other.mat'
    scipy.io.savemat(str(other), dict(x=np.zeros(3)))
    with pytest.raises(DataError, match="no 'imnames' variable"):
        convert_synthtext_words(other, tmp_path / 'o.json')
    empty = write_gt_mat(tmp_path / 'empty.mat', ['a.jpg'], [[' ']])
    with pytest.raises(DataError, match='no image with words'):
        convert_synthtext_words(empty, tmp_path / 'o.json', progress=False)
    notjson = tmp_path / 'det.json'
    notjson.write_text('{')
    with pytest.raises(DataError, match='det.json: not a valid JSON'):
        convert_det_json_words(notjson, tmp_path / 'o.json')
    notjson.write_text('[]')
    with pytest.raises(DataError, match='no "data_list"'):
        convert_det_json_words(notjson, tmp_path / 'o.json')


def test_cli(gt_mat, tmp_path, capsys):
    cli = load_cli()
    out = tmp_path / 'cli.json'
    cli.main([str(gt_mat), str(out), '--limit', '2'])
    captured = capsys.readouterr().out
    assert 'images converted: 2' in captured
    assert f'written: {out}' in captured
    assert len(read_json(out)['data_list']) == 2

    missing = tmp_path / 'nope.mat'
    with pytest.raises(SystemExit) as exc:
        run_cli(lambda: cli.main([str(missing), str(out)]))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.strip() == f'error: {missing}: file not found'

    det_out = tmp_path / 'det_words.json'
    cli.main(['--from-det-json', str(out), str(det_out), '--no-progress'])
    assert read_json(det_out)['data_list'] == read_json(out)['data_list']

    with pytest.raises(SystemExit) as exc:
        cli.main([str(gt_mat), str(out), '--limit', '0'])
    assert 'positive' in str(exc.value.code)
