# Copyright (c) mmtextknow contributors. All rights reserved.
"""ICDAR-2013-WARP maker: determinism, alignment of image / mask / polygons."""
import importlib.util
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from mmtextknow.datasets.converters import WarpOptions, warp_textseg_dataset
from mmtextknow.datasets.converters.textseg_warp import (SmoothWarp,
                                                         densify_polygon,
                                                         split_of)
from mmtextknow.datasets.ocr_json import dump_ocr_json, textdet_instance

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = REPO_ROOT / 'tools' / 'dataset_converters' / 'textseg' / \
    'make_icdar2013_warp.py'
W, H = 160, 120
#: Inclusive word boxes (x1, y1, x2, y2) of the source image.
BOXES = [(10, 12, 110, 38), (30, 60, 150, 86), (12, 95, 70, 112)]


def word_masks() -> np.ndarray:
    """One boolean stroke mask per word (vertical bars inside its box)."""
    masks = np.zeros((len(BOXES), H, W), bool)
    for k, (x1, y1, x2, y2) in enumerate(BOXES):
        for x in range(x1 + 3, x2 - 5, 9):
            masks[k, y1 + 3:y2 - 2, x:x + 5] = True
    return masks


def make_source(root: Path) -> Path:
    """Our JSON with a PNG image whose red channel equals the pixel mask,
    a JPEG image, and an item whose image is missing."""
    mask = word_masks().any(axis=0)
    rng = np.random.default_rng(0)
    img = rng.integers(0, 120, (H, W, 3), dtype=np.uint8)
    img[..., 0] = mask * 255
    (root / 'imgs').mkdir(parents=True)
    (root / 'masks').mkdir()
    Image.fromarray(img).save(root / 'imgs/img_1.png')
    Image.fromarray(img).save(root / 'imgs/img_2.jpg', quality=95)
    Image.fromarray(mask.astype(np.uint8) * 255).save(root / 'masks/m.png')
    instances = [
        textdet_instance([x1, y1, x2, y1, x2, y2, x1, y2], f'w{k}')
        for k, (x1, y1, x2, y2) in enumerate(BOXES)
    ]
    items = [
        dict(
            img_path=f'imgs/{name}',
            height=H,
            width=W,
            pixel_mask_path='masks/m.png',
            instances=instances)
        for name in ('img_1.png', 'img_2.jpg', 'img_9.png')
    ]
    dump_ocr_json(items, root / 'textseg_test.json')
    return root / 'textseg_test.json'


def tree_bytes(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob('*')) if p.is_file()
    }


@pytest.fixture(scope='module')
def warped(tmp_path_factory):
    """(source json, output root, report) of one warp with seed 3."""
    tmp = tmp_path_factory.mktemp('warp')
    ann = make_source(tmp / 'src')
    report = warp_textseg_dataset(
        ann, tmp / 'out', options=WarpOptions(seed=3))
    return ann, tmp / 'out', report


def first_item(out: Path) -> dict:
    return json.loads((out / 'textseg_test.json').read_text())['data_list'][0]


def test_report_and_layout(warped):
    _, out, report = warped
    assert report.num_images == 2 and report.num_instances == 6
    assert report.num('missing_image') == 1
    item = first_item(out)
    assert item['img_path'] == 'imgs/test/img_1.png'
    assert item['pixel_mask_path'] == 'masks/pixel/test/img_1.png'
    assert (out / 'imgs/test/img_2.jpg').is_file()
    for inst in item['instances']:
        pts = np.asarray(inst['polygon']).reshape(-1, 2)
        assert len(pts) == 8
        # no longer an axis-aligned rectangle
        assert len(np.unique(np.round(pts[:, 1]))) > 2


def test_same_seed_same_bytes(warped, tmp_path):
    ann, out, _ = warped
    warp_textseg_dataset(ann, tmp_path / 'again', options=WarpOptions(seed=3))
    assert tree_bytes(tmp_path / 'again') == tree_bytes(out)
    warp_textseg_dataset(ann, tmp_path / 'other', options=WarpOptions(seed=4))
    assert (tmp_path / 'other/imgs/test/img_1.png').read_bytes() != \
        (out / 'imgs/test/img_1.png').read_bytes()


def test_mask_stays_aligned_with_image(warped):
    _, out, _ = warped
    item = first_item(out)
    red = cv2.imread(str(out / item['img_path']))[..., 2] > 127
    mask = np.asarray(Image.open(out / item['pixel_mask_path'])) > 127
    assert set(
        np.unique(np.asarray(Image.open(
            out / item['pixel_mask_path'])))) == {0, 255}
    assert (red != mask).mean() < 0.01
    assert (red & mask).sum() / (red | mask).sum() > 0.95
    # the stored warp reproduces the mask exactly
    map_x, map_y = SmoothWarp(**item['warp']).inverse_maps(H, W)
    source = word_masks().any(axis=0).astype(np.uint8) * 255
    np.testing.assert_array_equal(
        cv2.remap(source, map_x, map_y, cv2.INTER_NEAREST) > 127, mask)


def test_polygons_contain_their_words_pixels(warped):
    _, out, _ = warped
    item = first_item(out)
    map_x, map_y = SmoothWarp(**item['warp']).inverse_maps(H, W)
    for inst, word in zip(item['instances'], word_masks()):
        pixels = cv2.remap(
            word.astype(np.uint8), map_x, map_y, cv2.INTER_NEAREST) > 0
        inside = np.zeros((H, W), np.uint8)
        pts = np.round(np.asarray(inst['polygon']).reshape(-1, 2))
        cv2.fillPoly(inside, [pts.astype(np.int32)], 1)
        assert pixels.sum() > 50
        assert inside[pixels].mean() > 0.97
    polygon_mask = np.asarray(Image.open(out / item['polygon_mask_path']))
    assert polygon_mask[np.asarray(Image.open(out / item['pixel_mask_path'])) >
                        0].mean() > 0.97 * 255


def test_warped_dataset_loads(warped):
    from mmengine.registry import init_default_scope

    import mmtextknow  # noqa: F401
    from mmtextknow.datasets import CheckedOCRDataset
    init_default_scope('mmocr')
    _, out, _ = warped
    dataset = CheckedOCRDataset(
        ann_file='textseg_test.json',
        data_root=str(out),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadTextMasks')])
    sample = dataset[0]
    assert sample['gt_pixel_mask'].shape == (H, W)
    assert sample['gt_polygon_mask'].any()


def test_densify_polygon():
    box = np.array([[0, 0], [100, 0], [100, 10], [0, 10]], float)
    dense = densify_polygon(box, 8)
    np.testing.assert_allclose(
        dense, [[0, 0], [100 / 3, 0], [200 / 3, 0], [100, 0], [100, 10],
                [200 / 3, 10], [100 / 3, 10], [0, 10]])
    assert densify_polygon(box, 4) is not box
    np.testing.assert_array_equal(densify_polygon(box, 3), box)
    assert len(densify_polygon(box, 13)) == 13


def test_split_of_and_options(tmp_path):
    assert split_of('a/textseg_test.json') == 'test'
    assert split_of('a/ann.json') == 'ann'
    with pytest.raises(ValueError, match='num_points'):
        warp_textseg_dataset(
            tmp_path / 'x.json',
            tmp_path / 'o',
            options=WarpOptions(num_points=3))
    with pytest.raises(ValueError, match='must differ'):
        warp_textseg_dataset(tmp_path / 'x.json', tmp_path)


def test_cli(warped, tmp_path, capsys):
    ann, out, _ = warped
    spec = importlib.util.spec_from_file_location('make_warp', CLI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(ann), str(tmp_path / 'cli'), '--seed', '3'])
    printed = capsys.readouterr().out
    assert 'images converted: 2' in printed
    assert 'images skipped (missing image file): 1' in printed
    assert tree_bytes(tmp_path / 'cli') == tree_bytes(out)
