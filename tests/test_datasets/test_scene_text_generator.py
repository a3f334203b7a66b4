# Copyright (c) mmtextknow contributors. All rights reserved.
import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
import pytest

from mmtextknow.datasets.generators import (SHAPES, SceneTextGenerator,
                                            SceneTextGeneratorConfig,
                                            generate_dataset, make_rng,
                                            rasterize_polygons)

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = REPO_ROOT / 'tools' / 'dataset_converters' / 'generate_toy_data.py'
NUM_IMAGES = {'train': 16, 'test': 4}


def small_cfg(**kwargs) -> SceneTextGeneratorConfig:
    """A fast configuration (128x128 images)."""
    kwargs.setdefault('img_size', 128)
    return SceneTextGeneratorConfig(**kwargs)


def file_bytes(root: Path) -> dict:
    """Relative path -> bytes of every file under ``root``."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob('*')) if p.is_file()
    }


def load_json(root: Path, split: str) -> dict:
    with open(root / f'textdet_{split}.json', encoding='utf-8') as f:
        return json.load(f)


def read_gray(path: Path) -> np.ndarray:
    img = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert img is not None, path
    return img


def points(polygon) -> np.ndarray:
    return np.asarray(polygon, dtype=np.float64).reshape(-1, 2)


def shoelace(polygon) -> float:
    """Signed area; > 0 for clockwise on screen (y down)."""
    x, y = points(polygon).T
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


@pytest.fixture(scope='module')
def dataset(tmp_path_factory) -> Path:
    """The default dataset (256x256), a few images per split."""
    root = tmp_path_factory.mktemp('toy')
    generate_dataset(str(root), NUM_IMAGES, progress=False)
    return root


def items(root: Path):
    for split in NUM_IMAGES:
        yield from load_json(root, split)['data_list']


def test_same_seed_identical_bytes(tmp_path):
    cfg = dict(img_size=(128, 112), seed=3)
    for name in ('a', 'b'):
        paths = generate_dataset(
            str(tmp_path / name), {
                'train': 3,
                'val': 2
            },
            small_cfg(**cfg),
            progress=False)
        assert set(paths) == {'train', 'val'}
    files_a, files_b = file_bytes(tmp_path / 'a'), file_bytes(tmp_path / 'b')
    assert len(files_a) == 4 * 5 + 2  # image, 2 masks, background; JSONs
    assert files_a == files_b


def test_different_seed_different_images(tmp_path):
    for seed in (0, 1):
        generate_dataset(
            str(tmp_path / str(seed)), {'train': 2},
            small_cfg(seed=seed),
            progress=False)
    for index in range(2):
        name = f'imgs/train/{index:05d}.jpg'
        assert (tmp_path / '0' / name).read_bytes() != \
            (tmp_path / '1' / name).read_bytes()


def test_image_independent_of_count(tmp_path):
    for num in (3, 5):
        generate_dataset(
            str(tmp_path / str(num)), {'train': num},
            small_cfg(),
            progress=False)
    three, five = file_bytes(tmp_path / '3'), file_bytes(tmp_path / '5')
    for name, data in three.items():
        if name.endswith('.json'):
            continue
        assert five[name] == data, name
    assert load_json(tmp_path / '3', 'train')['data_list'] == \
        load_json(tmp_path / '5', 'train')['data_list'][:3]


def test_splits_differ():
    gen = SceneTextGenerator(small_cfg())
    a = gen.render_index('train', 0).image
    b = gen.render_index('test', 0).image
    assert not np.array_equal(a, b)


def test_render_api():
    gen = SceneTextGenerator(small_cfg(img_size=(160, 96)))
    sample = gen.render(make_rng(0, 'train', 0))
    assert sample.image.shape == (96, 160, 3)
    assert sample.image.dtype == np.uint8
    for mask in (sample.pixel_mask, sample.polygon_mask):
        assert mask.shape == (96, 160) and mask.dtype == np.uint8
        assert set(np.unique(mask)) <= {0, 255}
    assert sample.words
    for word in sample.words:
        assert set(word) == {'polygon', 'bbox', 'text', 'shape'}
    again = gen.render(make_rng(0, 'train', 0))
    assert np.array_equal(again.image, sample.image)
    assert again.words == sample.words


def test_json_layout(dataset):
    for split, num in NUM_IMAGES.items():
        data = load_json(dataset, split)
        meta = data['metainfo']
        assert meta['dataset_type'] == 'TextDetDataset'
        assert meta['task_name'] == 'textdet'
        assert meta['category'] == [{'id': 0, 'name': 'text'}]
        assert meta['generator']['seed'] == 0
        assert meta['generator']['img_size'] == [256, 256]
        assert len(data['data_list']) == num
        for index, item in enumerate(data['data_list']):
            assert item['img_path'] == f'imgs/{split}/{index:05d}.jpg'
            assert item['pixel_mask_path'] == \
                f'masks/pixel/{split}/{index:05d}.png'
            assert item['polygon_mask_path'] == \
                f'masks/polygon/{split}/{index:05d}.png'
            assert item['background_path'] == \
                f'backgrounds/{split}/{index:05d}.jpg'
            for key in ('img_path', 'pixel_mask_path', 'polygon_mask_path',
                        'background_path'):
                assert (dataset / item[key]).is_file()
            assert (item['height'], item['width']) == (256, 256)
            assert item['words'] == [i['text'] for i in item['instances']]
            for ins in item['instances']:
                assert ins['bbox_label'] == 0 and ins['ignore'] is False
                assert ins['shape'] in SHAPES
                assert ins['text'] in SceneTextGeneratorConfig().vocabulary


def test_images_and_masks_match_json(dataset):
    for item in items(dataset):
        img = cv2.imread(str(dataset / item['img_path']))
        assert img.shape == (item['height'], item['width'], 3)
        pixel = read_gray(dataset / item['pixel_mask_path'])
        polygon = read_gray(dataset / item['polygon_mask_path'])
        assert pixel.ndim == 2 and polygon.ndim == 2
        assert pixel.dtype == np.uint8 and polygon.dtype == np.uint8
        polygons = [i['polygon'] for i in item['instances']]
        expected = rasterize_polygons(polygons, pixel.shape)
        assert np.array_equal(polygon, expected)


def test_glyphs_inside_polygons(dataset):
    kernel = np.ones((5, 5), np.uint8)  # 2 px tolerance
    for item in items(dataset):
        pixel = read_gray(dataset / item['pixel_mask_path']) > 0
        polygon = read_gray(dataset / item['polygon_mask_path'])
        inside = cv2.dilate(polygon, kernel) > 0
        if item['instances']:
            assert (pixel & inside).sum() >= 0.99 * pixel.sum()
        else:
            assert not pixel.any()
        for ins in item['instances']:
            own = rasterize_polygons([ins['polygon']], pixel.shape) > 0
            assert (pixel & own).sum() > 0


def test_words_do_not_overlap_and_stay_inside(dataset):
    for item in items(dataset):
        masks = [
            rasterize_polygons([i['polygon']], (item['height'],
                                                item['width'])) > 0
            for i in item['instances']
        ]
        if masks:
            assert np.stack(masks).sum(axis=0).max() <= 1
        for ins in item['instances']:
            pts = points(ins['polygon'])
            assert pts.min() >= 0
            assert pts[:, 0].max() <= item['width'] - 1
            assert pts[:, 1].max() <= item['height'] - 1


def test_polygons_valid(dataset):
    try:
        from shapely.geometry import Polygon
    except ImportError:
        Polygon = None
    num_curved = 0
    for item in items(dataset):
        for ins in item['instances']:
            poly = ins['polygon']
            assert all(round(v, 2) == v for v in poly)
            x1, y1, x2, y2 = ins['bbox']
            pts = points(poly)
            assert [x1, y1] == pts.min(axis=0).tolist()
            assert [x2, y2] == pts.max(axis=0).tolist()
            if ins['shape'] == 'curved':
                num_curved += 1
                assert len(pts) == 14
            else:
                assert len(pts) == 4
            assert shoelace(poly) > 0  # clockwise on screen
            if Polygon is not None:
                shape = Polygon(pts)
                assert shape.is_valid and shape.area > 0
    assert num_curved > 0


def test_all_shapes_appear(dataset):
    shapes = Counter(ins['shape'] for item in items(dataset)
                     for ins in item['instances'])
    assert set(shapes) == set(SHAPES)


def test_shape_probabilities(tmp_path):
    gen = SceneTextGenerator(
        small_cfg(shape_probs=dict(curved=1.0), curve_num_points=5))
    for index in range(4):
        for word in gen.render_index('train', index).words:
            assert word['shape'] == 'curved'
            assert len(word['polygon']) == 20


@pytest.mark.parametrize('kwargs', [
    dict(vocabulary=[]),
    dict(vocabulary='HELLO'),
    dict(vocabulary=['ok', '']),
    dict(shape_probs=dict(horizontal=0, rotated=0, curved=0)),
    dict(shape_probs=dict(horizontal=-1, curved=2)),
    dict(shape_probs=dict(wavy=1.0)),
    dict(img_size=32),
    dict(img_size=(40, 256), vocabulary=['INTERNATIONAL']),
    dict(font_size=(0.01, 0.02)),
    dict(font_size=(0.2, 0.1)),
    dict(font_size=(0.1, 0.9)),
    dict(words_per_image=(3, 1)),
    dict(words_per_image=(0, 0)),
    dict(img_size=(256, 256, 3)),
    dict(max_rotation_deg=120),
    dict(curve_num_points=2),
    dict(seed=-1),
])
def test_bad_options(kwargs):
    with pytest.raises(ValueError):
        SceneTextGeneratorConfig(**kwargs)


@pytest.mark.parametrize('num_images', [{}, {'train': -1}, {'a/b': 1}])
def test_bad_num_images(tmp_path, num_images):
    with pytest.raises(ValueError):
        generate_dataset(str(tmp_path), num_images, progress=False)


def run_script(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [str(REPO_ROOT)] + [p for p in [env.get('PYTHONPATH')] if p])
    return subprocess.run([sys.executable, str(CLI), *map(str, args)],
                          cwd=str(REPO_ROOT),
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=120)


def load_cli_module():
    """The CLI as a module, to call ``main`` in-process (no ~5 s import)."""
    spec = importlib.util.spec_from_file_location('generate_toy_data', CLI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_overwrite(tmp_path):
    out = tmp_path / 'toy'
    out.mkdir()
    (out / 'keep.txt').write_text('not generated')
    (out / 'textdet_old.json').write_text('{}')
    args = (out, '--num-train', 2, '--num-test', 1, '--img-size', 128, 100,
            '--seed', 5, '--words-per-image', 1, 2, '--shapes',
            'horizontal=1', 'curved=1', '--no-progress')
    with pytest.raises(SystemExit) as refused:
        load_cli_module().main(list(map(str, args)))
    assert refused.value.code.startswith('error:')
    assert 'overwrite' in refused.value.code
    assert sorted(p.name for p in out.iterdir()) == \
        ['keep.txt', 'textdet_old.json']

    stale = out / 'backgrounds' / 'old' / '00009.png'
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b'stale')
    done = run_script(*args, '--overwrite')
    assert done.returncode == 0, done.stderr
    assert not stale.exists()
    assert 'train: 2 images' in done.stdout
    assert (out / 'keep.txt').read_text() == 'not generated'
    assert not (out / 'textdet_old.json').exists()
    data = load_json(out, 'train')
    assert data['metainfo']['generator']['seed'] == 5
    assert data['metainfo']['generator']['img_size'] == [128, 100]
    assert len(load_json(out, 'test')['data_list']) == 1
    for item in data['data_list']:
        assert (item['height'], item['width']) == (100, 128)
        assert len(item['instances']) <= 2
        assert all(i['shape'] != 'rotated' for i in item['instances'])


def test_cli_bad_option(tmp_path):
    with pytest.raises(SystemExit) as exc_info:
        load_cli_module().main(
            [str(tmp_path / 'x'), '--shapes', 'wavy=1', '--no-progress'])
    assert exc_info.value.code.startswith('error:')
    assert 'wavy' in exc_info.value.code
    assert not (tmp_path / 'x').exists()


def test_loads_in_mmocr(dataset):
    pytest.importorskip('mmocr')
    from mmocr.datasets import OCRDataset
    ds = OCRDataset(
        ann_file='textdet_train.json', data_root=str(dataset), pipeline=[])
    assert len(ds) == NUM_IMAGES['train']
    item = ds[0]
    assert Path(item['img_path']) == dataset / 'imgs' / 'train' / '00000.jpg'
    assert item['instances']
    assert all(len(i['polygon']) >= 8 for i in item['instances'])
