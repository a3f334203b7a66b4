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
    np.testing.assert_array_equal(polygon1 == 255, box_mask([(5, 5, 30, 20)]))
    # the '#' word is don't care (127), the rest background
    np.testing.assert_array_equal(polygon1 == 127,
                                  box_mask([(40, 30, 60, 45)]))
    assert set(np.unique(polygon1)) == {0, 127, 255}
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
    # the ignored word is written as don't care (127), the cared one as
    # text (as RasterizePolygonMask does in the pipeline)
    polygon_mask = read_png(root / items[0]['polygon_mask_path'])
    np.testing.assert_array_equal(polygon_mask == 255,
                                  box_mask([(4, 4, 30, 20)]))
    assert (polygon_mask == 127).any()
    assert set(np.unique(polygon_mask)) <= {0, 127, 255}
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
    polygon = read_png(root / items[0]['polygon_mask_path'])
    np.testing.assert_array_equal(polygon == 255, box_mask([(4, 4, 20, 16)]))
    # the iscrowd (ignored) triangle (30,30)-(40,30)-(40,40) is 127 on and
    # above its diagonal y = x
    ys, xs = np.mgrid[0:H, 0:W]
    crowd = (xs >= 30) & (xs <= 40) & (ys >= 30) & (ys <= 40) & (ys <= xs)
    assert (polygon == 127)[crowd].all()
    assert not (polygon == 127)[:, :30].any()
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


# ----------------------------------------- COCO-Text v2 (cocotext.v2.json)


def rect(x1, y1, x2, y2):
    """Flat clockwise polygon of an axis-aligned rectangle."""
    return [x1, y1, x2, y1, x2, y2, x1, y2]


def cocotext_ann(ann_id, image_id, mask, **extra):
    """One "anns" entry with the fields of the real cocotext.v2.json."""
    xs, ys = mask[0::2], mask[1::2]
    ann = {
        'mask': [float(v) for v in mask],
        'class': 'machine printed',
        'bbox': [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)],
        'image_id': image_id,
        'id': ann_id,
        'language': 'english',
        'area': float((max(xs) - min(xs)) * (max(ys) - min(ys))),
        'utf8_string': 'word',
        'legibility': 'legible',
    }
    ann.update(extra)
    return ann


def coco_name(image_id: int) -> str:
    return f'COCO_train2014_{image_id:012d}'


CT_SIZES = {522579: (80, 56), 9: (72, 40), 10: (64, 48), 11: (64, 48)}


def make_cocotext(root: Path) -> Path:
    """cocotext.v2.json laid out as released (dicts keyed by id strings,
    imgToAnns with int ids, the split in "set"), MSCOCO train2014 images
    and a COCO_TS_labels folder of 0/1/255 label maps."""
    for image_id, size in CT_SIZES.items():
        write_image(root / f'train2014/{coco_name(image_id)}.jpg', size)
    anns = [
        cocotext_ann(45346, 522579, rect(4, 6, 30, 20), utf8_string='the'),
        # illegible words carry no utf8_string in COCO-Text
        cocotext_ann(45347, 522579, rect(40, 30, 70, 50),
                     legibility='illegible', language='na',
                     **{'class': 'others'}),
        cocotext_ann(45348, 522579, [5, 5, 9, 9]),  # 2 points: degenerate
        cocotext_ann(45349, 9, rect(10, 10, 50, 30), utf8_string='a,b',
                     language='not english', **{'class': 'handwritten'}),
        cocotext_ann(45350, 11, rect(1, 1, 9, 9)),
    ]
    del anns[1]['utf8_string']
    imgs = {
        str(i): {
            'file_name': f'{coco_name(i)}.jpg',
            'height': size[1],
            'width': size[0],
            'id': i,
            'set': 'val' if i == 9 else 'train',
        }
        for i, size in CT_SIZES.items()
    }
    imgs['11']['height'] += 2  # annotated size differs from the file
    content = {
        'cats': {},
        'info': {'author': 'COCO-Text', 'version': '2.0'},
        'anns': {str(a['id']): a for a in anns},
        'imgs': imgs,
        'imgToAnns': {
            '522579': [45346, 45347, 45348],
            '9': [45349, 31337],  # 31337 is not in "anns"
            '10': [],
            '11': [45350],
        },
    }
    root.joinpath('cocotext.v2.json').write_text(json.dumps(content))
    labels = root / 'COCO_TS_labels'
    for image_id in (522579, 9, 11):
        w, h = CT_SIZES[image_id]
        label = np.zeros((h, w), np.uint8)
        label[8:12, 8:20], label[12, 8:20] = 1, 255
        write_array(labels / f'{coco_name(image_id)}.png', label)
    write_array(labels / f'{coco_name(777)}.png', np.zeros((8, 8), np.uint8))
    return root


def test_cocotext_v2_json(tmp_path):
    root = make_cocotext(tmp_path)
    report = convert_coco_ts(
        root / 'cocotext.v2.json', root / 'train2014', tmp_path / 'out',
        sets=['train'], progress=False)
    # set "train": 522579 (3 words, one degenerate), 10 (no word) and 11
    # (size mismatch); 9 is "val"
    assert report.num_images == 2
    assert report.num_instances == 2 and report.num_ignored_instances == 1
    assert report.num('degenerate_polygon') == 1
    assert report.num('no_instance') == 1
    assert report.num('image_size_mismatch') == 1
    assert report.problems['malformed_annotation'] == [
        f"{root / 'cocotext.v2.json'}, imgToAnns['9']: annotation id 31337 "
        'is not an object of "anns"'
    ]
    items = load_json(tmp_path / 'out/textseg_train.json')['data_list']
    assert [i['img_path'] for i in items] == [
        f'../train2014/{coco_name(522579)}.jpg',
        f'../train2014/{coco_name(10)}.jpg'
    ]
    first = items[0]
    assert (first['width'], first['height']) == (80, 56)
    assert [(i['text'], i['ignore']) for i in first['instances']
            ] == [('the', False), ('', True)]
    assert first['instances'][0]['polygon'] == rect(4, 6, 30, 20)
    assert first['polygon_mask_path'] == \
        f'masks/polygon/train/{coco_name(522579)}.png'
    mask = read_png(tmp_path / 'out' / first['polygon_mask_path'])
    assert mask.shape == (56, 80)
    np.testing.assert_array_equal(mask == 255,
                                  box_mask([(4, 6, 30, 20)], (80, 56)))
    np.testing.assert_array_equal(mask == 127,
                                  box_mask([(40, 30, 70, 50)], (80, 56)))
    assert 'polygon_mask_path' not in items[1]  # no word, no mask
    assert all('pixel_mask_path' not in i for i in items)

    with pytest.raises(DataError, match='31337'):
        convert_coco_ts(
            root / 'cocotext.v2.json', root / 'train2014', tmp_path / 's',
            strict=True, progress=False)
    root.joinpath('old.json').write_text('{"imgs": [], "anns": {}}')
    with pytest.raises(DataError, match=r'old\.json: expected COCO-Text v2'):
        convert_coco_ts(root / 'old.json', root / 'train2014', tmp_path)


def test_coco_ts_label_folder(tmp_path):
    root = make_cocotext(tmp_path)
    report = convert_coco_ts(
        root / 'cocotext.v2.json', root / 'train2014', tmp_path / 'out',
        label_dir=root / 'COCO_TS_labels', progress=False)
    # label maps: 522579 (train) and 9 (val) converted, 11 size mismatch
    # (its JSON size), 777 has no image entry; 10 has no label map
    assert report.num_images == 2
    assert report.num('image_size_mismatch') == 1
    assert report.num('missing_gt') == 1
    assert coco_name(777) in report.problems['missing_gt'][0]
    items = load_json(tmp_path / 'out/textseg_train.json')['data_list']
    assert [Path(i['img_path']).stem for i in items
            ] == [coco_name(9), coco_name(522579)]
    assert [(i['text'], i['ignore']) for i in items[0]['instances']
            ] == [('a,b', False)]
    mask = read_png(tmp_path / 'out' / items[0]['polygon_mask_path'])
    np.testing.assert_array_equal(mask,
                                  box_mask([(10, 10, 50, 30)], (72, 40)) * 255)
    sample = assert_loads(tmp_path / 'out', 'textseg_train.json')
    assert sample['has_polygon_mask'] and not sample['has_pixel_mask']

    # the set filter applies to the label folder's images too
    report = convert_coco_ts(
        root / 'cocotext.v2.json', root / 'train2014', tmp_path / 'val',
        'val', label_dir=root / 'COCO_TS_labels', sets=['val'],
        progress=False)
    assert report.num_images == 1
    # a label map of another size than its image is skipped
    write_array(root / f'COCO_TS_labels/{coco_name(9)}.png',
                np.zeros((41, 72), np.uint8))
    report = convert_coco_ts(
        root / 'cocotext.v2.json', root / 'train2014', tmp_path / 'o2',
        label_dir=root / 'COCO_TS_labels', progress=False)
    assert report.num_images == 1 and report.num('mask_size_mismatch') == 1
    assert '72x41' in report.problems['mask_size_mismatch'][0]


def test_coco_ts_label_folder_cli(tmp_path, capsys):
    root = make_cocotext(tmp_path)
    code, out, _ = run_tool('cocots_converter.py', [
        root / 'cocotext.v2.json', root / 'train2014', tmp_path / 'out',
        '--labels', root / 'COCO_TS_labels', '--set', 'train'
    ], capsys)
    assert code == 0
    assert 'images converted: 1' in out
    assert 'images skipped (missing annotation file): 1' in out
    assert (tmp_path / 'out/textseg_train.json').is_file()
    code, _, err = run_tool('cocots_converter.py', [
        root / 'cocotext.v2.json', root / 'train2014', tmp_path / 'out',
        '--labels', root / 'nope'
    ], capsys)
    assert code == 1 and 'label map directory not found' in err


def test_coco_words_fallbacks():
    from mmtextknow.datasets.converters.cocotext_json import coco_words
    assert coco_words({'bbox': [2, 3, 10, 5], 'utf8_string': 'x'}) == [
        ([2.0, 3.0, 12.0, 3.0, 12.0, 8.0, 2.0, 8.0], 'x', False)
    ]
    for bad in ({}, {'mask': {'counts': 'x'}}, {'mask': ['a', 1]}):
        with pytest.raises(ValueError):
            coco_words(bad)


# ------------------------------------------------ MLT-S (MLT 2017 + labels)

MLT_GT_1 = ('\ufeff10,10,30,10,30,20,10,20,Latin,Hello, world\r\n'
            '40,5,60,5,60,25,40,25,None,###\r\n'
            '\r\n'
            '1,2,3,4,Latin,short\r\n')
MLT_GT_2 = '5,30,25,30,25,40,5,40,Arabic,\u0645\u0631\u062d\u0628\u0627\n'


def make_mlt(root: Path) -> Path:
    """The unpacked MLT 2017 zips and MLT_S_labels."""
    write_image(root / 'ch8_training_images_1/img_1.jpg', (64, 48))
    write_image(root / 'ch8_training_images_2/img_2.png', (70, 44))
    write_image(root / 'ch8_training_images_2/img_4.jpg', (64, 48))
    write_image(root / 'ch8_validation_images/img_1.jpg', (50, 60))
    # MLT 2017 has a few GIF images
    Image.new('P', (40, 30), 3).save(root / 'ch8_training_images_2/img_5.gif')
    gt = root / 'ch8_training_localization_transcription_gt_v2'
    gt.mkdir(parents=True)
    (gt / 'gt_img_1.txt').write_bytes(MLT_GT_1.encode('utf-8'))
    (gt / 'gt_img_2.txt').write_text(MLT_GT_2, encoding='utf-8')
    (gt / 'gt_img_4.txt').write_text(MLT_GT_2, encoding='utf-8')
    (gt / 'gt_img_5.txt').write_text('1,1,9,1,9,9,1,9,Latin,gif\n',
                                     encoding='utf-8')
    vgt = root / 'ch8_validation_localization_transcription_gt_v2'
    vgt.mkdir()
    (vgt / 'gt_img_1.txt').write_text('2,2,20,2,20,12,2,12,Latin,val\n',
                                      encoding='utf-8')
    for sub, stem, size in (('training', 'img_1', (64, 48)),
                            ('training', 'img_2', (70, 44)),
                            ('training', 'img_3', (64, 48)),
                            ('training', 'img_5', (40, 30)),
                            ('validation', 'img_1', (50, 60))):
        write_array(root / f'MLT_S_labels/{sub}_labels/{stem}.png',
                    np.zeros((size[1], size[0]), np.uint8))
    return root


def test_mlt_gt_lines():
    from mmtextknow.datasets.converters.mlt_s import parse_mlt_line
    assert parse_mlt_line('1,2,3,4,5,6,7,8,Latin,a,b, c') == (
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 'a,b, c', False)
    assert parse_mlt_line('1,2,3,4,5,6,7,8,None,###')[2] is True
    for bad in ('1,2,3,4,5,6,7,8,Latin', '1,2,3,4,5,6,7,x,Latin,t',
                '1,2,3,4,5,6,7,inf,Latin,t'):
        with pytest.raises(ValueError):
            parse_mlt_line(bad)


def test_mlt_s_converter(tmp_path):
    from mmtextknow.datasets.converters import convert_mlt_s, mlt_s_subsets
    root = make_mlt(tmp_path / 'mlt')
    report = convert_mlt_s(
        mlt_s_subsets(root), tmp_path / 'out', progress=False)
    # labels: training img_1, img_2, img_3 (no image), img_5 (a GIF),
    # validation img_1; img_4 has no label map and is not part of MLT-S
    assert report.num_images == 4
    assert report.num_instances == 5 and report.num_ignored_instances == 1
    assert report.num('missing_image') == 1
    assert 'img_3' in report.problems['missing_image'][0]
    assert report.num('malformed_annotation') == 1
    assert 'gt_img_1.txt, line 4' in report.problems[
        'malformed_annotation'][0]
    items = load_json(tmp_path / 'out/textseg_train.json')['data_list']
    assert [i['img_path'] for i in items] == [
        '../mlt/ch8_training_images_1/img_1.jpg',
        '../mlt/ch8_training_images_2/img_2.png',
        'images/train/training/img_5.png',
        '../mlt/ch8_validation_images/img_1.jpg'
    ]
    with Image.open(tmp_path / 'out' / items[2]['img_path']) as frame:
        assert (frame.format, frame.mode, frame.size) == ('PNG', 'RGB',
                                                           (40, 30))
    assert [(i['text'], i['ignore']) for i in items[0]['instances']
            ] == [('Hello, world', False), ('###', True)]
    assert items[1]['instances'][0]['text'] == '\u0645\u0631\u062d\u0628\u0627'
    assert items[3]['polygon_mask_path'] == \
        'masks/polygon/train/validation/img_1.png'
    mask = read_png(tmp_path / 'out' / items[0]['polygon_mask_path'])
    np.testing.assert_array_equal(mask == 255, box_mask([(10, 10, 30, 20)]))
    np.testing.assert_array_equal(mask == 127, box_mask([(40, 5, 60, 25)]))
    val = read_png(tmp_path / 'out' / items[3]['polygon_mask_path'])
    np.testing.assert_array_equal(
        val, box_mask([(2, 2, 20, 12)], (50, 60)) * 255)

    # a label map of another size than its image (validation img_1 is
    # 50x60, training img_1 64x48) is skipped, naming both
    write_array(root / 'MLT_S_labels/validation_labels/img_1.png',
                np.zeros((48, 64), np.uint8))
    report = convert_mlt_s(
        mlt_s_subsets(root, ['validation', 'training']), tmp_path / 'o2',
        progress=False)
    assert report.num('mask_size_mismatch') == 1
    message = report.problems['mask_size_mismatch'][0]
    assert 'validation_labels/img_1.png' in message and \
        'ch8_validation_images/img_1.jpg' in message
    with pytest.raises(DataError, match='gt_img_1.txt, line 4'):
        convert_mlt_s(mlt_s_subsets(root), tmp_path / 'o3', strict=True,
                      progress=False)
    with pytest.raises(ValueError, match='unknown MLT-S subset'):
        mlt_s_subsets(root, ['test'])


def test_mlt_s_cli(tmp_path, capsys):
    root = make_mlt(tmp_path / 'mlt')
    code, out, _ = run_tool(
        'mlt_s_converter.py',
        [root, tmp_path / 'out', '--subset', 'validation'], capsys)
    assert code == 0 and 'images converted: 1' in out
    assert load_json(tmp_path / 'out/textseg_train.json')['data_list'][0][
        'img_path'] == '../mlt/ch8_validation_images/img_1.jpg'
    (root / 'ch8_validation_localization_transcription_gt_v2/'
     'gt_img_1.txt').unlink()
    code, _, err = run_tool(
        'mlt_s_converter.py',
        [root, tmp_path / 'o2', '--subset', 'validation'], capsys)
    assert code == 1 and 'no image could be converted' in err
    code, _, err = run_tool('mlt_s_converter.py',
                            [tmp_path / 'nope', tmp_path / 'o3'], capsys)
    assert code == 1 and 'MLT root directory not found' in err


# ------------------------------------------- TotalText .mat ground truth


def totaltext_cells(words, column=False):
    """An N x 6 cell array laid out like Total-Text's poly_gt_*.mat:
    'x:', int16 xs, 'y:', int16 ys, transcription, orientation (1 x n
    vectors; n x 1 with ``column``, as in the newer ``gt`` files)."""
    cells = np.empty((len(words), 6), dtype=object)
    for row, (xs, ys, text, ornt) in enumerate(words):
        shape = (-1, 1) if column else (1, -1)
        cells[row] = ['x:', np.array(xs, np.int16).reshape(shape), 'y:',
                      np.array(ys, np.int16).reshape(shape), text, ornt]
    return cells


def make_totaltext_mat(root: Path) -> Path:
    """Images/Train + Groundtruth/Polygon/Train (.mat) +
    groundtruth_pixel/Train, non-square images of two sizes."""
    sio = pytest.importorskip('scipy.io')
    write_image(root / 'Images/Train/img11.jpg', (80, 56))
    write_image(root / 'Images/Train/img12.jpg', (64, 48))
    write_image(root / 'Images/Train/img13.jpg', (64, 48))
    gt = root / 'Groundtruth/Polygon/Train'
    gt.mkdir(parents=True)
    sio.savemat(str(gt / 'poly_gt_img11.mat'), {'polygt': totaltext_cells([
        ([5, 30, 30, 5], [5, 5, 20, 20], 'PETRONAS', 'h'),
        ([40, 50, 60, 70, 70, 40], [30, 28, 30, 30, 50, 50], '#', '#'),
        ([10, 20, 15], [40, 40], 'bad', 'c'),  # 3 x but 2 y
        ([2, 12, 12, 2], [30, 30, 40, 40], '', 'm'),  # empty transcription
        # don't care by its orientation alone (Deteval's rule)
        ([45, 55, 55, 45], [5, 5, 15, 15], 'dc', '#'),
    ])})
    sio.savemat(str(gt / 'gt_img12.mat'), {'gt': totaltext_cells(
        [([10, 50, 50, 10], [10, 10, 30, 30], 'naughty', 'c')], column=True)})
    (gt / 'poly_gt_img13.mat').write_bytes(b'MATLAB 5.0 MAT-file garbage')
    pix = root / 'groundtruth_pixel/Train'
    write_array(pix / 'img11.jpg',
                box_mask([(8, 8, 26, 16)], (80, 56)).astype(np.uint8) * 255)
    write_array(pix / 'img12.jpg', np.zeros((48, 64), np.uint8))
    write_array(pix / 'img13.jpg', np.zeros((48, 64), np.uint8))
    return root


def test_totaltext_mat_reader(tmp_path):
    from mmtextknow.datasets.converters.totaltext_seg import \
        parse_totaltext_mat
    root = make_totaltext_mat(tmp_path)
    words, errors = parse_totaltext_mat(
        root / 'Groundtruth/Polygon/Train/poly_gt_img11.mat')
    assert words == [
        ([5, 5, 30, 5, 30, 20, 5, 20], 'PETRONAS', False),
        ([40, 30, 50, 28, 60, 30, 70, 30, 70, 50, 40, 50], '#', True),
        ([2, 30, 12, 30, 12, 40, 2, 40], '#', True),
        ([45, 5, 55, 5, 55, 15, 45, 15], 'dc', True),
    ]
    assert len(errors) == 1 and 'polygt row 3: 3 x but 2 y' in errors[0]
    words, errors = parse_totaltext_mat(
        root / 'Groundtruth/Polygon/Train/gt_img12.mat')
    assert words == [([10, 10, 50, 10, 50, 30, 10, 30], 'naughty', False)]
    assert errors == []


def test_totaltext_mat_converter(tmp_path):
    root = make_totaltext_mat(tmp_path)
    report = convert_totaltext(
        root / 'Images/Train', root / 'Groundtruth/Polygon/Train',
        root / 'groundtruth_pixel/Train', root, 'train', progress=False)
    assert report.num_images == 2
    assert report.num_instances == 5 and report.num_ignored_instances == 3
    assert report.num('malformed_annotation') == 1
    assert report.num('bad_gt_file') == 1
    assert 'poly_gt_img13.mat: cannot read' in report.problems[
        'bad_gt_file'][0]
    items = load_json(root / 'textseg_train.json')['data_list']
    assert [i['img_path'] for i in items
            ] == ['Images/Train/img11.jpg', 'Images/Train/img12.jpg']
    mask = read_png(root / items[0]['polygon_mask_path'])
    assert mask.shape == (56, 80)
    np.testing.assert_array_equal(mask == 255,
                                  box_mask([(5, 5, 30, 20)], (80, 56)))
    ignored = np.zeros((56, 80), bool)
    ignored |= box_mask([(40, 30, 70, 50), (2, 30, 12, 40), (45, 5, 55, 15)],
                        (80, 56))
    # the '#' polygon's top edge dips to y = 28 at x = 50 (a thin
    # triangle above y = 30 between x = 40 and 60)
    assert (mask == 127)[ignored].all()
    assert not (mask == 127)[16:28].any() and (mask == 127)[28, 50]
    assert not (mask == 127)[:, 71:].any() and not (mask == 127)[:5].any()
    pixel = read_png(root / items[0]['pixel_mask_path'])
    assert ((pixel > 0) == box_mask([(8, 8, 26, 16)], (80, 56))).mean() > 0.99
    sample = assert_loads(root, 'textseg_train.json')
    assert sample['has_pixel_mask'] and sample['has_polygon_mask']


def test_totaltext_mat_needs_scipy(tmp_path, monkeypatch):
    import sys
    root = make_totaltext_mat(tmp_path)
    monkeypatch.setitem(sys.modules, 'scipy.io', None)  # import fails
    with pytest.raises(ImportError, match=r'poly_gt_img11\.mat: reading '
                       r'TotalText \.mat ground truth needs scipy'):
        convert_totaltext(
            root / 'Images/Train', root / 'Groundtruth/Polygon/Train',
            root / 'groundtruth_pixel/Train', root, 'train', progress=False)


def test_polygon_mask_values():
    from mmtextknow.datasets.converters import polygon_mask
    from mmtextknow.datasets.mask_values import FILE_IGNORE, FILE_TEXT
    instances = [
        dict(polygon=rect(0, 0, 9, 9), ignore=True),
        dict(polygon=rect(5, 5, 14, 9), ignore=False),
    ]
    expected = np.zeros((12, 20), np.uint8)
    expected[0:10, 0:10] = FILE_IGNORE
    expected[5:10, 5:15] = FILE_TEXT  # a cared word wins where they overlap
    np.testing.assert_array_equal(
        polygon_mask(instances, (12, 20)), expected)
    np.testing.assert_array_equal(
        polygon_mask(instances, (12, 20), fill_ignored=True),
        (expected > 0) * FILE_TEXT)
