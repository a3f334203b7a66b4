# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text segmentation converters on tiny fake datasets in the real layouts."""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mmtextknow.datasets.converters import (convert_coco_ts, convert_icdar2013,
                                            convert_textseg, convert_totaltext)
from mmtextknow.datasets.converters.icdar2013_seg import \
    parse_icdar2013_box_line
from mmtextknow.datasets.converters.totaltext_seg import (
    parse_totaltext_record, parse_totaltext_txt)
from mmtextknow.utils import DataError, run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI_DIR = REPO_ROOT / 'tools' / 'dataset_converters' / 'textseg'
W, H = 64, 48


def write_image(path: Path, size=(W, H), colour=(90, 120, 150)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new('RGB', size, colour).save(path)
    return path


def write_array(path: Path, array: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)
    return path


def box_mask(boxes, size=(W, H)) -> np.ndarray:
    """Boolean mask, True inside the inclusive boxes (x1, y1, x2, y2)."""
    mask = np.zeros((size[1], size[0]), bool)
    for x1, y1, x2, y2 in boxes:
        mask[y1:y2 + 1, x1:x2 + 1] = True
    return mask


def read_png(path: Path) -> np.ndarray:
    with Image.open(path) as img:
        assert img.mode == 'L' and img.format == 'PNG'
        return np.asarray(img)


def load_json(path) -> dict:
    return json.loads(Path(path).read_text(encoding='utf-8'))


def assert_loads(out_root: Path, ann_file: str) -> dict:
    """CheckedOCRDataset + LoadTextMasks load the first item."""
    from mmengine.registry import init_default_scope

    import mmtextknow  # noqa: F401 (registers the components)
    from mmtextknow.datasets import CheckedOCRDataset
    init_default_scope('mmocr')
    dataset = CheckedOCRDataset(
        ann_file=ann_file,
        data_root=str(out_root),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadTextMasks')])
    sample = dataset[0]
    assert sample['gt_polygon_mask'].shape == sample['img'].shape[:2]
    assert sample['gt_pixel_mask'].shape == sample['img'].shape[:2]
    return sample


def run_tool(name: str, argv, capsys):
    """Run a CLI's main through run_cli; return (exit code, out, err)."""
    spec = importlib.util.spec_from_file_location(name, CLI_DIR / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    code = 0
    try:
        run_cli(lambda: module.main([str(a) for a in argv]))
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------- TotalText

TT_IMG1 = (
    "x: [[5 30 30 5]], y: [[5 5 20 20]], ornt: [u'c'], "
    "transcriptions: [u'the']\n"
    'x: [[40 60 60\n'  # a wrapped record
    "  40]], y: [[30 30 45 45]], ornt: [u'#'], transcriptions: [u'#']\n"
    "x: [[1 2 3]], y: [[1 2]], ornt: [u'c'], transcriptions: [u'bad']\n")
TT_IMG2 = ('x: [[10 50 50 10]], y: [[10 10 30 30]], ornt: [u\'h\'], '
           'transcriptions: [u"it\'s"]\n')


def make_totaltext(root: Path) -> Path:
    """Images/Test, Txt_format/Test, groundtruth_pixel/Test with 2 good
    images, one with a wrong-size mask and a gt file without image."""
    write_image(root / 'Images/Test/img1.jpg')
    write_image(root / 'Images/Test/img2.jpg')
    write_image(root / 'Images/Test/img3.jpg')
    gt = root / 'Txt_format/Test'
    gt.mkdir(parents=True)
    (gt / 'poly_gt_img1.txt').write_text(TT_IMG1, encoding='utf-8')
    (gt / 'poly_gt_img2.txt').write_text(TT_IMG2, encoding='utf-8')
    (gt / 'poly_gt_img3.txt').write_text(TT_IMG2, encoding='utf-8')
    (gt / 'poly_gt_img4.txt').write_text(TT_IMG2, encoding='utf-8')
    pix = root / 'groundtruth_pixel/Test'
    # jpg mask: bright text (JPEG ringing must be thresholded away)
    write_array(pix / 'img1.jpg',
                box_mask([(8, 8, 26, 16)]).astype(np.uint8) * 255)
    write_array(pix / 'img2.png',
                box_mask([(12, 12, 20, 26)]).astype(np.uint8) * 230)
    write_array(pix / 'img3.png', np.zeros((H, W + 4), np.uint8))
    return root


def test_totaltext_record_parsing():
    poly, text, ignore = parse_totaltext_record(
        "x: [[ 115 503 -4 ]], y: [[322,346, 426.5]], ornt: [u'c'], "
        "transcriptions: [u'a', u'b']")
    assert poly == [115, 322, 503, 346, -4, 426.5]
    assert (text, ignore) == ('a,b', False)
    assert parse_totaltext_record(
        "x: [[1 2 3]], y: [[1 2 3]], ornt: [u'#'], transcriptions: [u'x']"
    )[2] is True
    for bad in ('x: [[1 2]], y: [[1 2]]', "x: [[1 a]], y: [[1 2]], ornt: "
                "[u'c'], transcriptions: [u'x']",
                "x: [[1 2]], y: [[1 2]], ornt: [u'c'], transcriptions: [u'x"):
        with pytest.raises(ValueError):
            parse_totaltext_record(bad)


def test_totaltext_converter(tmp_path):
    root = make_totaltext(tmp_path)
    words, errors = parse_totaltext_txt(root / 'Txt_format/Test/'
                                        'poly_gt_img1.txt')
    assert [w[1:] for w in words] == [('the', False), ('#', True)]
    assert len(errors) == 1 and 'line 4' in errors[0]

    report = convert_totaltext(root / 'Images/Test', root / 'Txt_format/Test',
                               root / 'groundtruth_pixel/Test', root)
    assert report.num_images == 2
    assert report.num_instances == 3 and report.num_ignored_instances == 1
    assert report.num('malformed_annotation') == 1
    assert report.num('mask_size_mismatch') == 1
    mismatch = report.problems['mask_size_mismatch'][0]
    assert 'img3.png' in mismatch and 'img3.jpg' in mismatch
    assert report.num('missing_image') == 1
    assert 'img4' in report.problems['missing_image'][0]
    assert 'malformed annotations' in report.summary()

    items = load_json(root / 'textseg_test.json')['data_list']
    assert [i['img_path'] for i in items
            ] == ['Images/Test/img1.jpg', 'Images/Test/img2.jpg']
    item1 = items[0]
    assert (item1['height'], item1['width']) == (H, W)
    assert item1['instances'][0]['polygon'] == [5, 5, 30, 5, 30, 20, 5, 20]
    assert item1['instances'][1]['polygon'] == [40, 30, 60, 30, 60, 45, 40, 45]
    assert items[1]['instances'][0]['text'] == "it's"
    pixel1 = read_png(root / item1['pixel_mask_path'])
    assert set(np.unique(pixel1)) == {0, 255}
    assert ((pixel1 > 0) == box_mask([(8, 8, 26, 16)])).mean() > 0.99
    pixel2 = read_png(root / items[1]['pixel_mask_path'])
    np.testing.assert_array_equal(pixel2 > 0, box_mask([(12, 12, 20, 26)]))
    polygon1 = read_png(root / item1['polygon_mask_path'])
    assert polygon1.shape == (H, W)
    np.testing.assert_array_equal(polygon1 > 0, box_mask([(5, 5, 30, 20)]))
    sample = assert_loads(root, 'textseg_test.json')
    assert sample['has_pixel_mask'] and sample['has_polygon_mask']

    with pytest.raises(DataError, match='poly_gt_img1.txt, line 4'):
        convert_totaltext(
            root / 'Images/Test',
            root / 'Txt_format/Test',
            root / 'groundtruth_pixel/Test',
            tmp_path / 'o',
            strict=True)


def test_totaltext_cli(tmp_path, capsys):
    root = make_totaltext(tmp_path)
    args = [
        root / 'Images/Test', root / 'Txt_format/Test',
        root / 'groundtruth_pixel/Test'
    ]
    code, out, _ = run_tool('totaltext_converter.py',
                            args + [tmp_path / 'out', '--split', 'val'],
                            capsys)
    assert code == 0
    assert 'images converted: 2' in out
    assert 'images skipped (missing image file): 1' in out
    assert (tmp_path / 'out/textseg_val.json').is_file()
    code, _, err = run_tool('totaltext_converter.py',
                            args + [tmp_path / 'o2', '--strict'], capsys)
    assert code == 1 and err.startswith('error: ') and '\n' == err[-1]
    code, _, err = run_tool(
        'totaltext_converter.py',
        args + [tmp_path / 'o3', '--gt-name-fmt', 'no_field.txt'], capsys)
    assert code == 'error: invalid file name format \'no_field.txt\': it ' \
        'must contain {stem} (the image name without extension) exactly ' \
        'once and no "/"'
    code, _, err = run_tool('totaltext_converter.py',
                            [tmp_path / 'nope'] + args[1:] + [tmp_path],
                            capsys)
    assert code == 1 and 'image directory not found' in err


# -------------------------------------------------------------- ICDAR 2013


def make_icdar2013(root: Path) -> Path:
    """2 good images (comma / space separated boxes, coloured / black gt),
    one wrong-size gt image, one image without box file."""
    for i in (1, 2, 3, 4):
        write_image(root / f'imgs/img_{i}.jpg')
    gt = root / 'gt'
    gt.mkdir()
    (gt / 'gt_img_1.txt').write_text(
        '\ufeff5, 6, 30, 20, "Tired"\r\n\r\n34, 6, 60, 20, "a,b"\r\n'
        '12 13 xx\r\n',
        encoding='utf-8')
    (gt / 'gt_img_2.txt').write_text('10 10 50 30 "HELLO"\n', encoding='utf-8')
    (gt / 'gt_img_3.txt').write_text('1 1 5 5 "x"\n', encoding='utf-8')
    seg1 = np.full((H, W, 3), 255, np.uint8)
    seg1[8:18, 6:14] = (255, 0, 0)  # coloured characters
    seg1[8:18, 36:40] = (0, 0, 255)
    seg1[30, 30] = (252, 252, 252)  # near white = background
    write_array(gt / 'gt_img_1.png', seg1)
    seg2 = np.full((H, W), 255, np.uint8)
    seg2[12:28, 12:48] = 0
    write_array(gt / 'gt_img_2.png', seg2)
    write_array(gt / 'gt_img_3.png', np.full((H + 1, W, 3), 255, np.uint8))
    write_array(gt / 'gt_img_4.png', np.full((H, W, 3), 255, np.uint8))
    return root


def test_icdar2013_box_lines():
    assert parse_icdar2013_box_line('38 43 920 215 "Tired ness"') == ([
        38, 43, 920, 43, 920, 215, 38, 215
    ], 'Tired ness', False)
    assert parse_icdar2013_box_line('1,2,3,4,"x"')[1] == 'x'
    assert parse_icdar2013_box_line('1, 2, 3, 4, ""')[1] == ''
    for bad in ('1 2 3 "x"', '1 2 3 4', 'a b c d "x"'):
        with pytest.raises(ValueError):
            parse_icdar2013_box_line(bad)


def test_icdar2013_converter(tmp_path):
    root = make_icdar2013(tmp_path)
    report = convert_icdar2013(root / 'imgs', root / 'gt', root / 'gt', root)
    assert report.num_images == 2 and report.num_instances == 3
    assert report.num('malformed_annotation') == 1
    assert 'gt_img_1.txt, line 4' in report.problems['malformed_annotation'][0]
    assert report.num('mask_size_mismatch') == 1
    assert report.num('missing_gt') == 1
    assert 'gt_img_4.txt' in report.problems['missing_gt'][0]

    items = load_json(root / 'textseg_test.json')['data_list']
    assert [i['img_path']
            for i in items] == ['imgs/img_1.jpg', 'imgs/img_2.jpg']
    assert [i['text'] for i in items[0]['instances']] == ['Tired', 'a,b']
    assert items[0]['instances'][0]['polygon'] == [5, 6, 30, 6, 30, 20, 5, 20]
    pixel1 = read_png(root / items[0]['pixel_mask_path'])
    np.testing.assert_array_equal(pixel1 > 0,
                                  box_mask([(6, 8, 13, 17), (36, 8, 39, 17)]))
    pixel2 = read_png(root / items[1]['pixel_mask_path'])
    np.testing.assert_array_equal(pixel2 > 0, box_mask([(12, 12, 47, 27)]))
    polygon2 = read_png(root / items[1]['polygon_mask_path'])
    np.testing.assert_array_equal(polygon2 > 0, box_mask([(10, 10, 50, 30)]))
    assert_loads(root, 'textseg_test.json')


# ------------------------------------------------------------------ TextSeg


def make_textseg(root: Path) -> Path:
    """image/, annotation/, semantic_label/, split.json: 2 good images and
    one whose image is missing; one malformed word."""
    write_image(root / 'image/a00001.jpg')
    write_image(root / 'image/a00002.jpg')
    anno = root / 'annotation'
    anno.mkdir()
    anno.joinpath('a00001_anno.json').write_text(
        json.dumps({
            '0000': {
                'text': 'SALE',
                'bbox': [4, 4, 30, 4, 30, 20, 4, 20],
                'char': {
                    '00': {
                        'text': 'S',
                        'bbox': [4, 4, 10, 4, 10, 20, 4, 20],
                        'mask_value': 1
                    }
                }
            },
            '0001': {
                'text': '###',
                'bbox': [40, 30, 60, 30, 60, 44, 40, 44]
            },
            '0002': {
                'text': 'bad',
                'bbox': 'nope'
            },
        }))
    anno.joinpath('a00002_anno.json').write_text(
        json.dumps({
            '0000': {
                'text': 'OPEN',
                'bbox': [10, 10, 50, 10, 50, 30, 10, 30]
            }
        }))
    anno.joinpath('a00003_anno.json').write_text('{}')
    label1 = np.zeros((H, W), np.uint8)
    label1[6:18, 6:28] = 100
    write_array(root / 'semantic_label/a00001_maskfg.png', label1)
    label2 = np.zeros((H, W), np.uint8)
    label2[12:28, 12:48] = 100
    write_array(root / 'semantic_label/a00002_maskfg.png', label2)
    write_array(root / 'semantic_label/a00003_maskfg.png', label1)
    root.joinpath('split.json').write_text(
        json.dumps({
            'train': [],
            'test': ['a00001.jpg', 'a00002', 'a00003']
        }))
    return root


def test_textseg_converter(tmp_path):
    root = make_textseg(tmp_path)
    report = convert_textseg(
        root / 'image',
        root / 'annotation',
        root / 'semantic_label',
        root,
        split_file=root / 'split.json')
    assert report.num_images == 2
    assert report.num_instances == 3 and report.num_ignored_instances == 1
    assert report.num('malformed_annotation') == 1
    assert 'word 0002' in report.problems['malformed_annotation'][0]
    assert report.num('missing_image') == 1
    assert 'a00003' in report.problems['missing_image'][0]

    items = load_json(root / 'textseg_test.json')['data_list']
    assert [i['img_path']
            for i in items] == ['image/a00001.jpg', 'image/a00002.jpg']
    assert items[0]['instances'][1]['ignore'] is True
    np.testing.assert_array_equal(
        read_png(root / items[0]['pixel_mask_path']) > 0,
        box_mask([(6, 6, 27, 17)]))
    np.testing.assert_array_equal(
        read_png(root / items[1]['pixel_mask_path']) > 0,
        box_mask([(12, 12, 47, 27)]))
    # the ignored word is not filled (as RasterizePolygonMask)
    np.testing.assert_array_equal(
        read_png(root / items[0]['polygon_mask_path']) > 0,
        box_mask([(4, 4, 30, 20)]))
    assert_loads(root, 'textseg_test.json')

    with pytest.raises(DataError, match='no list of image names'):
        convert_textseg(
            root / 'image',
            root / 'annotation',
            root / 'semantic_label',
            root,
            split='val',
            split_file=root / 'split.json')


def test_textseg_cli_fill_ignored(tmp_path, capsys):
    root = make_textseg(tmp_path)
    code, out, _ = run_tool('textseg_converter.py', [
        root / 'image', root / 'annotation', root / 'semantic_label',
        tmp_path / 'out', '--fill-ignored'
    ], capsys)
    assert code == 0 and 'images converted: 2' in out
    items = load_json(tmp_path / 'out/textseg_test.json')['data_list']
    assert items[0]['img_path'] == '../image/a00001.jpg'
    np.testing.assert_array_equal(
        read_png(tmp_path / 'out' / items[0]['polygon_mask_path']) > 0,
        box_mask([(4, 4, 30, 20), (40, 30, 60, 44)]))


# ------------------------------------------------------------ COCO-TS/MLT-S


def make_coco(root: Path) -> Path:
    """2 good images, one missing, one of the wrong annotated size; an RLE
    and an orphan annotation."""
    write_image(root / 'images/train2014/c1.jpg')
    write_image(root / 'images/train2014/c2.jpg')
    write_image(root / 'images/train2014/c4.jpg')
    square = [4, 4, 20, 4, 20, 16, 4, 16]
    coco = dict(
        images=[
            dict(id=1, file_name='train2014/c1.jpg', height=H, width=W),
            dict(id=2, file_name='train2014/c2.jpg'),
            dict(id=3, file_name='train2014/c3.jpg'),
            dict(id=4, file_name='train2014/c4.jpg', height=H + 1, width=W),
        ],
        annotations=[
            dict(id=10, image_id=1, segmentation=[square], utf8_string='No'),
            dict(
                id=11,
                image_id=1,
                iscrowd=1,
                segmentation=[[30, 30, 40, 30, 40, 40], [50, 5, 60, 5, 55,
                                                         15]]),
            dict(id=12, image_id=2, segmentation=square),
            dict(
                id=13, image_id=2, segmentation=dict(counts='x', size=[1, 1])),
            dict(id=14, image_id=99, segmentation=[square]),
        ])
    root.joinpath('coco.json').write_text(json.dumps(coco))
    return root


def test_coco_ts_converter(tmp_path):
    root = make_coco(tmp_path)
    report = convert_coco_ts(root / 'coco.json', root / 'images', root)
    assert report.num_images == 2 and report.num_instances == 4
    assert report.num_ignored_instances == 2
    assert report.num_pixel_masks == 0 and report.num_polygon_masks == 2
    assert report.num('missing_image') == 1
    assert report.num('image_size_mismatch') == 1
    assert report.num('malformed_annotation') == 2
    assert any('unknown image_id 99' in m
               for m in report.problems['malformed_annotation'])

    items = load_json(root / 'textseg_train.json')['data_list']
    assert [i['img_path'] for i in items
            ] == ['images/train2014/c1.jpg', 'images/train2014/c2.jpg']
    assert all('pixel_mask_path' not in i for i in items)
    assert items[0]['polygon_mask_path'] == \
        'masks/polygon/train/train2014/c1.png'
    assert [i['text'] for i in items[0]['instances']] == ['No', '', '']
    np.testing.assert_array_equal(
        read_png(root / items[0]['polygon_mask_path']) > 0,
        box_mask([(4, 4, 20, 16)]))
    sample = assert_loads(root, 'textseg_train.json')
    assert sample['has_polygon_mask'] and not sample['has_pixel_mask']

    with pytest.raises(DataError, match='unknown image_id 99'):
        convert_coco_ts(
            root / 'coco.json', root / 'images', tmp_path / 'o', strict=True)
    root.joinpath('bad.json').write_text('{"images": []}')
    with pytest.raises(DataError, match='bad.json'):
        convert_coco_ts(root / 'bad.json', root / 'images', root)


def test_coco_ts_cli(tmp_path, capsys):
    root = make_coco(tmp_path)
    code, out, _ = run_tool('cocots_converter.py', [
        root / 'coco.json', root / 'images', tmp_path / 'out',
        '--no-polygon-masks'
    ], capsys)
    assert code == 0 and 'polygon masks: 0' in out
    items = load_json(tmp_path / 'out/textseg_train.json')['data_list']
    assert all('polygon_mask_path' not in i for i in items)
    code, _, err = run_tool(
        'cocots_converter.py',
        [root / 'missing.json', root / 'images', tmp_path / 'out'], capsys)
    assert code == 1 and 'missing.json' in err
