"""Ignore-aware text masks from the native label files to the metric.

TextSeg ``*_maskfg.png``: 0 background, 100 text, 200 word effect
(background), 255 ignore (TexRNet, ``lib/data_factory/ds_textseg.py``).
ICDAR 2013: per-character colours on white; the characters of
``{stem}_GT.txt`` lines starting with ``#`` are "don't care", and colours
the list does not name are ignored as well (TexRNet,
``lib/data_factory/ds_icdar13.py``). Expected values are worked out by
hand in each test.
"""
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from PIL import Image

from mmtextknow.datasets.converters import convert_icdar2013, convert_textseg
from mmtextknow.datasets.converters.icdar2013_seg import (
    parse_icdar2013_char_line, parse_icdar2013_chars)
from mmtextknow.datasets.converters.textseg_dataset import \
    textseg_label_values
from mmtextknow.datasets.mask_values import (FILE_IGNORE, FILE_TEXT,
                                             IGNORE_INDEX)
from mmtextknow.datasets.transforms import LoadTextMasks
from mmtextknow.datasets.transforms.loading import TEXTSEG_MASKFG_VALUE_MAP
from mmtextknow.evaluation.metrics import TextPixelMetric
from mmtextknow.structures import TextSegDataSample
from mmtextknow.utils import DataError

# A 2x6 TextSeg label and a prediction; by hand (ignore excluded):
# text (100) at (0,0) (0,1) (1,1); ignore (255) at (0,3) (1,2) (1,3);
# word effect (200) at (0,2) (1,4) is background.
# prediction text at (0,0) TP, (0,2) FP (effect), (0,3) ignored,
# (1,1) TP, (1,2) ignored, (1,4) FP (effect); (0,1) is a FN.
LABEL = np.array([[100, 100, 200, 255, 0, 0], [0, 100, 255, 255, 200, 0]],
                 np.uint8)
PRED = np.array([[1, 0, 1, 1, 0, 0], [0, 1, 1, 0, 1, 0]], np.uint8)
PIPELINE = np.array([[1, 1, 0, 255, 0, 0], [0, 1, 255, 255, 0, 0]], np.uint8)
TP, FP, FN = 2, 2, 1


def write_png(path: Path, array: np.ndarray) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)
    return str(path)


def load(results_paths: dict, shape, **kwargs) -> dict:
    results = dict(img_path='img.jpg', ori_shape=shape, **results_paths)
    return LoadTextMasks(**kwargs)(results)


def score(gt: np.ndarray, pred: np.ndarray) -> dict:
    sample = TextSegDataSample(metainfo=dict(img_path='a.jpg',
                                             has_pixel_mask=True))
    sample.gt_pixel_mask = PixelData(data=torch.from_numpy(gt[None]))
    sample.pred_pixel_mask = PixelData(data=torch.from_numpy(pred[None]))
    metric = TextPixelMetric()
    metric.process({}, [sample])
    return metric.compute_metrics(metric.results)


# ------------------------------------------------------------ LoadTextMasks


def test_default_files_map_127_to_ignore(tmp_path):
    file_mask = np.array([[0, 255, 127], [127, 255, 0]], np.uint8)
    out = load(
        dict(pixel_mask_path=write_png(tmp_path / 'p.png', file_mask)),
        (2, 3))
    np.testing.assert_array_equal(out['gt_pixel_mask'],
                                  [[0, 1, 255], [255, 1, 0]])
    # a reader without ignore support sees background there
    out = load(
        dict(pixel_mask_path=write_png(tmp_path / 'p.png', file_mask)),
        (2, 3),
        ignore_value=None)
    np.testing.assert_array_equal(out['gt_pixel_mask'],
                                  [[0, 1, 0], [0, 1, 0]])


@pytest.mark.parametrize('mode', ['L', 'P'])
def test_native_textseg_labels_load_and_score_by_hand(tmp_path, mode):
    label = Image.new(mode, (6, 2))
    label.putdata([int(v) for v in LABEL.ravel()])
    if mode == 'P':  # a palette file: the raw index is the label
        label.putpalette([v for i in range(256) for v in (i, 0, 255 - i)])
    path = tmp_path / 'a00001_maskfg.png'
    label.save(path)
    polygon = write_png(tmp_path / 'poly.png',
                        np.full((2, 6), 255, np.uint8))
    out = load(
        dict(pixel_mask_path=str(path), polygon_mask_path=polygon), (2, 6),
        value_map=TEXTSEG_MASKFG_VALUE_MAP)
    np.testing.assert_array_equal(out['gt_pixel_mask'], PIPELINE)
    # the polygon mask (our 0/255 file) is not read with the value map
    assert (out['gt_polygon_mask'] == 1).all()
    metrics = score(out['gt_pixel_mask'], PRED)
    assert metrics['dataset_P'] == pytest.approx(TP / (TP + FP))
    assert metrics['dataset_R'] == pytest.approx(TP / (TP + FN))
    assert metrics['fgIoU'] == pytest.approx(TP / (TP + FP + FN))
    assert metrics['mean_image_F1'] == pytest.approx(2 * TP /
                                                     (2 * TP + FP + FN))


def test_value_map_rejects_unlisted_values(tmp_path):
    label = LABEL.copy()
    label[0, 5] = 50
    path = write_png(tmp_path / 'x_maskfg.png', label)
    with pytest.raises(DataError, match=r'x_maskfg.png: mask values \[50\]'):
        load(dict(pixel_mask_path=path), (2, 6),
             value_map=TEXTSEG_MASKFG_VALUE_MAP)
    with pytest.raises(ValueError, match='value_map'):
        LoadTextMasks(value_map={100: 2})


# ------------------------------------------------------------------ metric


def test_metric_excludes_ignore_from_every_count():
    # by hand: TP 2, FP 2, FN 1 -> P 1/2, R 2/3; imagewise equal (1 image)
    metrics = score(PIPELINE, PRED)
    assert metrics['dataset_P'] == pytest.approx(0.5)
    assert metrics['dataset_R'] == pytest.approx(2 / 3)
    assert metrics['dataset_F'] == pytest.approx(4 / 7)
    assert metrics['imagewise_P'] == pytest.approx(0.5)
    assert metrics['imagewise_R'] == pytest.approx(2 / 3)
    assert metrics['fgIoU'] == pytest.approx(2 / 5)
    assert metrics['mean_image_P'] == pytest.approx(0.5)
    assert metrics['mean_image_R'] == pytest.approx(2 / 3)
    # without ignore support the 255 pixels would be text: TP 4 ((0,0),
    # (0,3), (1,1), (1,2)), FP 2 ((0,2), (1,4)), FN 2 ((0,1), (1,3))
    old = TextPixelMetric(ignore_index=None)
    sample = TextSegDataSample(metainfo=dict(img_path='a.jpg'))
    sample.gt_pixel_mask = PixelData(data=torch.from_numpy(PIPELINE[None]))
    sample.pred_pixel_mask = PixelData(data=torch.from_numpy(PRED[None]))
    old.process({}, [sample])
    old_metrics = old.compute_metrics(old.results)
    assert old_metrics['dataset_P'] == pytest.approx(4 / 6)
    assert old_metrics['dataset_R'] == pytest.approx(4 / 6)


def test_metric_all_ignored_image_is_an_empty_image():
    gt = np.full((2, 3), IGNORE_INDEX, np.uint8)
    metrics = score(gt, np.ones((2, 3), np.uint8))
    # TP = FP = FN = 0: convention (c) scores it 1, (a)/(b) have no counts
    assert metrics['mean_image_F1'] == 1.0
    assert metrics['dataset_P'] == 0.0 and metrics['fgIoU'] == 0.0


# -------------------------------------------------------- TextSeg converter


def make_textseg(root: Path) -> None:
    for stem, label in (('a00001', LABEL), ('a00002', LABEL * 0 + 7)):
        img = root / 'image' / f'{stem}.jpg'
        img.parent.mkdir(parents=True, exist_ok=True)
        Image.new('RGB', (6, 2), (90, 120, 150)).save(img)
        write_png(root / 'semantic_label' / f'{stem}_maskfg.png', label)
        anno = root / 'annotation' / f'{stem}_anno.json'
        anno.parent.mkdir(parents=True, exist_ok=True)
        anno.write_text(
            json.dumps({
                '0000': {
                    'text': 'SALE',
                    'bbox': [0, 0, 3, 0, 3, 1, 0, 1],
                    'char': {}
                }
            }))


def test_textseg_converter_writes_ignore_and_loads_by_hand(tmp_path):
    make_textseg(tmp_path)
    report = convert_textseg(tmp_path / 'image', tmp_path / 'annotation',
                             tmp_path / 'semantic_label', tmp_path)
    # a00002 holds the value 7: a counted skip naming the file and value
    assert report.num_images == 1 and report.num('corrupt_pixel_mask') == 1
    message = report.problems['corrupt_pixel_mask'][0]
    assert 'a00002_maskfg.png' in message and '[7]' in message
    assert report.num_ignore_pixel_masks == 1
    item = json.loads((tmp_path / 'textseg_test.json').read_text())[
        'data_list'][0]
    with Image.open(tmp_path / item['pixel_mask_path']) as written:
        values = np.asarray(written)
    np.testing.assert_array_equal(
        values,
        np.where(PIPELINE == 1, FILE_TEXT,
                 np.where(PIPELINE == IGNORE_INDEX, FILE_IGNORE, 0)))
    out = load(dict(pixel_mask_path=str(tmp_path / item['pixel_mask_path'])),
               (2, 6))
    np.testing.assert_array_equal(out['gt_pixel_mask'], PIPELINE)


def test_textseg_rule_on_grey_rgb_and_bad_colour():
    grey = Image.fromarray(np.repeat(LABEL[..., None], 3, axis=2), 'RGB')
    np.testing.assert_array_equal(
        textseg_label_values(grey) == FILE_IGNORE, PIPELINE == IGNORE_INDEX)
    colour = np.zeros((2, 6, 3), np.uint8)
    colour[0, 0] = (100, 0, 0)
    with pytest.raises(ValueError, match='unequal channels'):
        textseg_label_values(Image.fromarray(colour, 'RGB'))


# --------------------------------------------------------- ICDAR 2013 chars

WHITE, RED, GREEN, BLUE = (255, 255, 255), (255, 0, 0), (0, 128, 0), (0, 0,
                                                                      255)
# {stem}_GT.txt as released: "R G B cx cy x1 y1 x2 y2 "c"", a blank line
# between words, "#" first for a don't-care character; CR/LF endings.
CHARS = ('255 0 0 1 1 0 0 2 2 "T"\r\n'
         '\r\n'
         '#0 128 0 4 1 3 0 5 2 "\'"\r\n'
         '12 13 "x"\r\n')


def test_icdar2013_char_lines():
    assert parse_icdar2013_char_line('255 0 0 1 1 0 0 2 2 "T"') == (RED,
                                                                    False)
    assert parse_icdar2013_char_line('# 0 128 0 4 1 3 0 5 2 """') == (GREEN,
                                                                      True)
    for bad in ('255 0 0 "T"', '300 0 0 1 1 0 0 2 2 "T"', 'x'):
        with pytest.raises(ValueError):
            parse_icdar2013_char_line(bad)


def test_icdar2013_dont_care_chars_convert_load_and_score(tmp_path):
    gt_dir = tmp_path / 'gt'
    gt_dir.mkdir()
    img = tmp_path / 'imgs' / 'img_1.jpg'
    img.parent.mkdir()
    Image.new('RGB', (8, 2), (90, 120, 150)).save(img)
    (gt_dir / 'gt_img_1.txt').write_text('0, 0, 7, 1, "T\'"\r\n')
    seg = np.array([[RED, RED, WHITE, GREEN, GREEN, WHITE, BLUE, WHITE],
                    [RED, WHITE, WHITE, GREEN, WHITE, (252, 252, 252), WHITE,
                     WHITE]], np.uint8)
    write_png(gt_dir / 'gt_img_1.png', seg)
    (gt_dir / 'img_1_GT.txt').write_bytes(CHARS.encode('ascii'))
    colours, errors = parse_icdar2013_chars(gt_dir / 'img_1_GT.txt')
    assert colours.text == {RED} and colours.ignore == {GREEN}
    assert len(errors) == 1 and 'line 4' in errors[0]

    report = convert_icdar2013(tmp_path / 'imgs', gt_dir, gt_dir, tmp_path,
                               char_dir=gt_dir)
    assert report.num_images == 1
    assert report.num('malformed_annotation') == 1
    item = json.loads((tmp_path / 'textseg_test.json').read_text())[
        'data_list'][0]
    out = load(dict(pixel_mask_path=str(tmp_path / item['pixel_mask_path'])),
               (2, 8))
    # red = text; green (don't care), blue and near-white (not listed) =
    # ignore; white = background
    expected = np.array([[1, 1, 0, 255, 255, 0, 255, 0],
                         [1, 0, 0, 255, 0, 255, 0, 0]], np.uint8)
    np.testing.assert_array_equal(out['gt_pixel_mask'], expected)
    # a prediction covering everything, by hand: 16 pixels - 5 ignored =
    # 11 cared, of which 3 text -> TP 3, FP 8, FN 0
    metrics = score(out['gt_pixel_mask'], np.ones((2, 8), np.uint8))
    assert metrics['dataset_P'] == pytest.approx(3 / 11)
    assert metrics['dataset_R'] == 1.0

    # without the character list everything non-white is text
    report = convert_icdar2013(tmp_path / 'imgs', gt_dir, gt_dir,
                               tmp_path / 'plain')
    item = json.loads((tmp_path / 'plain/textseg_test.json').read_text())[
        'data_list'][0]
    with Image.open(tmp_path / 'plain' / item['pixel_mask_path']) as m:
        assert set(np.unique(np.asarray(m))) == {0, 255}

    # a missing character list is a missing_gt skip naming the file
    (gt_dir / 'img_1_GT.txt').unlink()
    with pytest.raises(DataError, match='img_1_GT.txt: character list'):
        convert_icdar2013(tmp_path / 'imgs', gt_dir, gt_dir,
                          tmp_path / 'o3', char_dir=gt_dir, strict=True)


def test_icdar2013_cli_char_dir(tmp_path, capsys):
    import importlib.util

    from mmtextknow.utils import run_cli
    gt_dir = tmp_path / 'gt'
    gt_dir.mkdir()
    (tmp_path / 'imgs').mkdir()
    Image.new('RGB', (8, 2), (90, 120, 150)).save(tmp_path / 'imgs/img_1.jpg')
    (gt_dir / 'gt_img_1.txt').write_text('0, 0, 7, 1, "T"\r\n')
    seg = np.full((2, 8, 3), 255, np.uint8)
    seg[0, :2] = RED
    seg[1, 3] = GREEN
    write_png(gt_dir / 'gt_img_1.png', seg)
    (gt_dir / 'img_1_GT.txt').write_bytes(CHARS.encode('ascii'))
    tool = (Path(__file__).resolve().parents[2] / 'tools' /
            'dataset_converters' / 'textseg' / 'icdar2013_converter.py')
    spec = importlib.util.spec_from_file_location('ic13_cli', tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    run_cli(lambda: module.main([
        str(tmp_path / 'imgs'),
        str(gt_dir),
        str(gt_dir),
        str(tmp_path / 'out'), '--char-dir',
        str(gt_dir)
    ]))
    out = capsys.readouterr().out
    assert "pixel masks: 1 (1 with don't-care pixels)" in out
    item = json.loads((tmp_path / 'out/textseg_test.json').read_text())[
        'data_list'][0]
    with Image.open(tmp_path / 'out' / item['pixel_mask_path']) as m:
        values = np.asarray(m)
    assert values[0, :2].tolist() == [FILE_TEXT] * 2
    assert values[1, 3] == FILE_IGNORE and (values[1, :3] == 0).all()
