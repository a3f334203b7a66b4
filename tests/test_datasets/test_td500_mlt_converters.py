# Copyright (c) mmtextknow contributors. All rights reserved.
"""MSRA-TD500 / HUST-TR400 and ICDAR 2017 MLT detection converters."""
import importlib.util
import json
import math
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from PIL import Image

from mmtextknow.datasets.converters import (convert_icdar2017_mlt,
                                            convert_td500, parse_mlt_line,
                                            parse_td500_line,
                                            rotated_box_corners)
from mmtextknow.utils import DataError

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS = REPO_ROOT / 'tools' / 'dataset_converters'
BOM = b'\xef\xbb\xbf'


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, TOOLS / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_lines(path: Path, lines, bom=True) -> Path:
    """CRLF line endings, optional UTF-8 BOM."""
    path.write_bytes((BOM if bom else b'') +
                     ''.join(f'{line}\r\n' for line in lines).encode('utf-8'))
    return path


def write_img(path: Path, size=(120, 80)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new('RGB', size, (200, 200, 200)).save(path)
    return path


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding='utf-8'))


# --------------------------------------------------------------- TD500


def test_rotated_box_corners_by_hand():
    # unturned: the box corners, clockwise from the top-left
    assert rotated_box_corners(10, 20, 40, 10, 0) == [
        10, 20, 50, 20, 50, 30, 10, 30]
    # 90 degrees about the centre (30, 25): the top-left corner, offset
    # (-20, -5), goes to (30 + 5, 25 - 20), and so on
    assert rotated_box_corners(10, 20, 40, 10, math.pi / 2) == pytest.approx(
        [35, 5, 35, 45, 25, 45, 25, 5])
    # 30 degrees, 4 x 2 box at the origin, centre (2, 1):
    # top-left (2 - 2 cos30 + 1 sin30, 1 - 2 sin30 - 1 cos30)
    c, s = math.sqrt(3) / 2, 0.5
    assert rotated_box_corners(0, 0, 4, 2, math.pi / 6) == pytest.approx([
        2 - 2 * c + s, 1 - 2 * s - c,   # top-left
        2 + 2 * c + s, 1 + 2 * s - c,   # top-right
        2 + 2 * c - s, 1 + 2 * s + c,   # bottom-right
        2 - 2 * c - s, 1 - 2 * s + c])  # bottom-left
    assert rotated_box_corners(0, 0, 4, 2, math.pi / 6)[:2] == \
        pytest.approx([0.7679492, -0.8660254])


def test_parse_td500_line():
    polygon, text, ignore = parse_td500_line('3 1 10 20 40 10 1.5707963')
    assert polygon == pytest.approx([35, 5, 35, 45, 25, 45, 25, 5], abs=1e-5)
    assert (text, ignore) == ('', True)
    assert parse_td500_line('0 0 10 20 40 10 0')[2] is False
    for bad, why in [('0 0 10 20 40 10', '7 whitespace-separated'),
                     ('0 0 10 20 40 10 0 9', '7 whitespace-separated'),
                     ('0 0 10 20 forty 10 0', 'non-numeric'),
                     ('0 0 10 20 nan 10 0', 'non-finite'),
                     ('0 2 10 20 40 10 0', 'difficulty'),
                     ('0 0 10 20 0 10 0', 'non-positive')]:
        with pytest.raises(ValueError, match=why):
            parse_td500_line(bad)


def make_td500(folder: Path, ext='.JPG'):
    """Two images in the TD500 layout (images and .gt side by side)."""
    write_img(folder / f'IMG_0001{ext}', (200, 100))
    write_lines(folder / 'IMG_0001.gt', [
        '0 0 10 20 40 10 1.5707963267948966',
        '',
        '1 1 100 50 60 20 0',
    ])
    write_img(folder / f'IMG_0002{ext}', (90, 160))
    write_lines(folder / 'IMG_0002.gt', ['0 0 5 5 20 10 0'], bom=False)


def test_convert_td500_layout(tmp_path):
    make_td500(tmp_path / 'td500' / 'train')
    out = tmp_path / 'td500' / 'textdet_train.json'
    report = convert_td500(tmp_path / 'td500' / 'train', out, progress=False)
    assert (report.num_images, report.num_instances,
            report.num_ignored_instances) == (2, 3, 1)
    data = load_json(out)
    assert data['metainfo']['task_name'] == 'textdet'
    first, second = data['data_list']
    assert first['img_path'] == 'train/IMG_0001.JPG'
    assert (first['height'], first['width']) == (100, 200)
    turned, difficult = first['instances']
    assert turned['polygon'] == pytest.approx([35, 5, 35, 45, 25, 45, 25, 5])
    assert turned['bbox'] == pytest.approx([25, 5, 35, 45])
    assert turned['ignore'] is False and turned['text'] == ''
    assert difficult['ignore'] is True
    assert difficult['polygon'] == [100, 50, 160, 50, 160, 70, 100, 70]
    assert second['img_path'] == 'train/IMG_0002.JPG'
    assert (second['height'], second['width']) == (160, 90)


def test_td500_bad_line_names_file_and_line(tmp_path):
    folder = tmp_path / 'test'
    make_td500(folder)
    write_lines(folder / 'IMG_0002.gt',
                ['0 0 5 5 20 10 0', '1 0 5 5 20 10'])
    with pytest.raises(DataError, match=r'IMG_0002\.gt, line 2: expected 7'):
        convert_td500(folder, tmp_path / 'o.json', progress=False)
    report = convert_td500(folder, tmp_path / 'o.json', skip_invalid=True,
                           progress=False)
    assert report.num_malformed_lines == 1
    assert report.malformed_lines == [f'{folder / "IMG_0002.gt"}:2']
    assert report.num_instances == 3


def test_td500_cli_and_configs(tmp_path):
    """The converter writes what the TD500 and HUST-TR400 configs read."""
    root = tmp_path / 'data'
    make_td500(root / 'td500' / 'train')
    make_td500(root / 'hust_tr400' / 'HUST-TR400', ext='.jpg')
    tool = load_tool('td500_gt2json')
    tool.main([str(root / 'td500' / 'train'),
               str(root / 'td500' / 'textdet_train.json')])
    tool.main([str(root / 'hust_tr400' / 'HUST-TR400'),
               str(root / 'hust_tr400' / 'textdet_train.json')])
    init_default_scope('mmocr')
    from mmocr.registry import DATASETS
    for base, key, name in [('msra_td500.py', 'td500_textdet_train',
                             'td500'),
                            ('hust_tr400.py', 'hust_tr400_textdet_train',
                             'hust_tr400')]:
        cfg = Config.fromfile(
            str(REPO_ROOT / 'configs' / '_base_' / 'datasets' / base))
        dataset_cfg = cfg[key]
        assert dataset_cfg.data_root == f'data/{name}'
        dataset_cfg.data_root = str(root / name)
        dataset_cfg.pipeline = []
        dataset = DATASETS.build(dataset_cfg)
        assert len(dataset) == 2
        assert Path(dataset[0]['img_path']).is_file()
        assert [i['ignore'] for i in dataset[0]['instances']] == [False, True]


# ----------------------------------------------------------------- MLT


def test_parse_mlt_line_script_column():
    assert parse_mlt_line('1,2,3,4,5,6,7,8,Latin,a,b, c') == (
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 'a,b, c', False)
    assert parse_mlt_line('1,2,3,4,5,6,7,8,None,###') == (
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], '###', True)
    # the script is never the text, even when the transcription is empty
    assert parse_mlt_line('1,2,3,4,5,6,7,8,Arabic,')[1] == ''
    with pytest.raises(ValueError, match='1 more field'):
        parse_mlt_line('1,2,3,4,5,6,7,8,Latin')


def make_mlt(root: Path):
    """Training images in two of the 8 folders (one a GIF), validation."""
    tr_gt = root / 'ch8_training_localization_transcription_gt_v2'
    va_gt = root / 'ch8_validation_localization_transcription_gt_v2'
    tr_gt.mkdir(parents=True)
    va_gt.mkdir(parents=True)
    write_img(root / 'ch8_training_images_1' / 'img_1.jpg', (160, 90))
    write_lines(tr_gt / 'gt_img_1.txt', [
        '10,10,60,10,60,30,10,30,Latin,Hello, world',
        '70,40,100,40,100,60,70,60,None,###',
        '5,50,40,50,40,80,5,80,Korean,\ud55c\uae00',
    ])
    gif = root / 'ch8_training_images_2' / 'img_2.gif'
    gif.parent.mkdir(parents=True)
    Image.new('P', (50, 40), 3).save(gif)
    write_lines(tr_gt / 'gt_img_2.txt', ['1,1,20,1,20,9,1,9,Symbols,$'],
                bom=False)
    write_img(root / 'ch8_validation_images' / 'img_1.png', (70, 100))
    write_lines(va_gt / 'gt_img_1.txt',
                ['1,2,30,2,30,20,1,20,Arabic,x,y'])


def test_convert_icdar2017_mlt(tmp_path):
    root = tmp_path / 'icdar2017_mlt'
    make_mlt(root)
    report = convert_icdar2017_mlt(root, 'training', progress=False)
    assert (report.num_images, report.num_instances,
            report.num_ignored_instances) == (2, 4, 1)
    data = load_json(root / 'textdet_train.json')
    first, gif = data['data_list']
    assert first['img_path'] == 'ch8_training_images_1/img_1.jpg'
    assert [i['text'] for i in first['instances']] == [
        'Hello, world', '###', '\ud55c\uae00']
    assert [i['ignore'] for i in first['instances']] == [False, True, False]
    assert first['instances'][0]['polygon'] == [10, 10, 60, 10, 60, 30, 10,
                                                30]
    # the GIF's first frame, as a PNG OpenCV can read
    assert gif['img_path'] == 'gif_frames/training/img_2.png'
    assert (gif['height'], gif['width']) == (40, 50)
    assert (root / gif['img_path']).is_file()
    assert gif['instances'][0]['text'] == '$'

    report = convert_icdar2017_mlt(root, 'validation', progress=False)
    val = load_json(root / 'textdet_val.json')['data_list']
    assert [v['img_path'] for v in val] == ['ch8_validation_images/img_1.png']
    assert val[0]['instances'][0]['text'] == 'x,y'


def test_mlt_bad_input(tmp_path):
    root = tmp_path / 'mlt'
    make_mlt(root)
    gt = root / 'ch8_training_localization_transcription_gt_v2'
    write_lines(gt / 'gt_img_1.txt', ['10,10,60,10,60,30,10,30,Latin,ok',
                                      '10,10,60,10,60,30,10,Latin,bad'])
    with pytest.raises(DataError, match=r'gt_img_1\.txt, line 2'):
        convert_icdar2017_mlt(root, 'training', progress=False)
    report = convert_icdar2017_mlt(root, 'training', skip_invalid=True,
                                   progress=False)
    assert report.num_malformed_lines == 1
    # an image without gt file: skipped and counted
    write_img(root / 'ch8_training_images_2' / 'img_9.jpg')
    report = convert_icdar2017_mlt(root, 'training', skip_invalid=True,
                                   progress=False)
    assert report.num_missing_gt_files == 1 and report.num_images == 2
    with pytest.raises(ValueError, match='unknown MLT 2017 subset'):
        convert_icdar2017_mlt(root, 'test')
    (tmp_path / 'no_images').mkdir()
    with pytest.raises(FileNotFoundError, match='ch8_validation_images'):
        convert_icdar2017_mlt(tmp_path / 'no_images', 'validation')


def test_mlt_cli_and_config(tmp_path):
    root = tmp_path / 'icdar2017_mlt'
    make_mlt(root)
    load_tool('icdar2017_mlt2json').main([str(root)])
    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs/_base_/datasets/icdar2017_mlt.py'))
    init_default_scope('mmocr')
    from mmocr.registry import DATASETS
    for key, ann_file, num in [('icdar2017_mlt_textdet_train',
                                'textdet_train.json', 2),
                               ('icdar2017_mlt_textdet_test',
                                'textdet_val.json', 1)]:
        dataset_cfg = cfg[key]
        assert dataset_cfg.type == 'CheckedOCRDataset'
        assert dataset_cfg.data_root == 'data/icdar2017_mlt'
        assert dataset_cfg.ann_file == ann_file
        dataset_cfg.data_root = str(root)
        dataset_cfg.pipeline = []
        dataset = DATASETS.build(dataset_cfg)
        assert len(dataset) == num
        assert all(Path(dataset[i]['img_path']).is_file() for i in range(num))
