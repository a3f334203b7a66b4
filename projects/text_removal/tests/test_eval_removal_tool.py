# Copyright (c) mmtextknow contributors. All rights reserved.
"""projects/text_removal/tools/eval_removal.py on generated images, and the
mask sources behind it."""
import importlib.util
import json
from pathlib import Path

import pytest

from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                            generate_dataset)
from mmtextknow.utils import DataError
from projects.text_removal.text_removal import (load_removal_items,
                                                 predict_text_masks)

REPO_ROOT = Path(__file__).resolve().parents[3]
TOOL = REPO_ROOT / 'projects' / 'text_removal' / 'tools' / 'eval_removal.py'
FCN_CONFIG = 'configs/textseg/fcn/fcn_resnet18_8e_toy.py'


@pytest.fixture(scope='module')
def removal_data(tmp_path_factory) -> Path:
    """4 generated 160x128 test images with their backgrounds."""
    root = tmp_path_factory.mktemp('removal')
    generate_dataset(
        root, {'test': 4},
        SceneTextGeneratorConfig(img_size=(160, 128), seed=11),
        progress=False)
    return root


def load_tool():
    spec = importlib.util.spec_from_file_location('eval_removal', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_load_removal_items(removal_data):
    items = load_removal_items(str(removal_data), 'textdet_test.json')
    assert len(items) == 4
    for item in items:
        assert item.image.shape == item.background.shape == (128, 160, 3)
        assert item.gt_text_mask.shape == item.gt_word_mask.shape == \
            (128, 160)
        # glyph pixels lie in the word polygons (2 px rounding tolerance
        # aside, see the generator's tests); there is text in every image
        assert item.gt_text_mask.any()
        inside = (item.gt_text_mask & item.gt_word_mask).sum()
        assert inside >= 0.98 * item.gt_text_mask.sum()
    assert len(load_removal_items(str(removal_data), 'textdet_test.json',
                                  2)) == 2


def test_missing_background_is_an_error(removal_data, tmp_path):
    with open(removal_data / 'textdet_test.json', encoding='utf-8') as f:
        ann = json.load(f)
    del ann['data_list'][1]['background_path']
    bad = tmp_path / 'old.json'
    bad.write_text(json.dumps(ann), encoding='utf-8')
    with pytest.raises(DataError, match=r'old\.json: item 1 has no '
                       'background_path'):
        load_removal_items(str(removal_data), str(bad))
    ann['data_list'][0]['background_path'] = 'backgrounds/test/nope.png'
    bad.write_text(json.dumps(ann), encoding='utf-8')
    with pytest.raises(DataError, match='nope.png: background not found'):
        load_removal_items(str(removal_data), str(bad))


def test_tool_gt_and_polygon_masks(removal_data, tmp_path, capsys):
    tool = load_tool()
    out = tmp_path / 'out'
    tool.main([
        str(removal_data), '--masks', 'gt', 'polygon', '--dilation', '0',
        '2', '--out-dir',
        str(out)
    ])
    printed = capsys.readouterr().out
    assert '| mask | dilation | PSNR (dB) |' in printed
    with open(out / 'removal_scores.json', encoding='utf-8') as f:
        report = json.load(f)
    assert report['num_images'] == 4 and report['method'] == 'telea'
    rows = {(r['source'], r['dilation']): r for r in report['rows']}
    assert list(rows) == [('input', None), ('gt', 0), ('gt', 2),
                          ('polygon', 0), ('polygon', 2)]
    base = rows['input', None]
    assert base['cover'] == 0 and base['area'] == 0
    assert rows['gt', 0]['cover'] == 1.0
    for key in (('gt', 2), ('polygon', 0), ('polygon', 2)):
        row = rows[key]
        # removing the text beats leaving it, in the text above all
        assert row['PSNR'] > base['PSNR'] + 3
        assert row['SSIM'] > base['SSIM']
        assert row['text_MSE'] < base['text_MSE'] / 5
    # a dilation covers more of the image
    assert rows['gt', 2]['area'] > rows['gt', 0]['area']
    assert rows['polygon', 0]['area'] > rows['gt', 0]['area']
    names = sorted(p.name for p in (out / 'gt_d2').iterdir())
    assert names == [f'{i:05d}.png' for i in range(4)]


def test_tool_refuses_pred_without_config(removal_data):
    with pytest.raises(SystemExit, match='needs --seg-config'):
        load_tool().main([str(removal_data), '--masks', 'pred'])


def test_predicted_masks_at_image_size(removal_data):
    # Random weights (no checkpoint): only the plumbing is tested here.
    items = load_removal_items(str(removal_data), 'textdet_test.json', 2)
    masks = predict_text_masks([item.img_path for item in items],
                               str(REPO_ROOT / FCN_CONFIG),
                               device='cpu',
                               batch_size=2)
    assert len(masks) == 2
    for mask in masks:
        assert mask.shape == (128, 160) and mask.dtype == bool
