"""tools/visualizations/tcm_score_map.py: TCM's score map, image embedding
and visual prompt (paper Fig. 7) of the toy TCM-DBNet on the tiny generated
images."""
import importlib.util
import shutil

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmtextknow  # noqa: F401
from mmocr.registry import MODELS
from mmtextknow.utils import DataError
from .helpers import DEMO_CONFIG, REPO_ROOT, run_tool

TOOL = 'tools/visualizations/tcm_score_map.py'
TCM_TOY = 'configs/textdet/tcm/tcm-dbnet_clip-tiny_fpnc_8e_toy.py'
SUFFIXES = ('score', 'image_embedding', 'visual_prompt')


def _load_tool():
    spec = importlib.util.spec_from_file_location('tcm_score_map',
                                                  REPO_ROOT / TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _random_checkpoint(config, path):
    """A randomly initialised model of ``config`` saved like a runner."""
    init_default_scope('mmocr')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(REPO_ROOT / config)).model)
    torch.save({'state_dict': model.state_dict()}, path)
    return path


@pytest.fixture(scope='module')
def images(tiny_toy_data, tmp_path_factory):
    """The tiny set's test images (128 x 128), one resized to 200 x 90, and
    a corrupt ``.png`` in the same folder."""
    folder = tmp_path_factory.mktemp('tcm_imgs')
    for src in sorted((tiny_toy_data / 'imgs' / 'test').glob('*.jpg')):
        shutil.copy(src, folder / src.name)
    first = cv2.imread(str(sorted(folder.glob('*.jpg'))[0]))
    cv2.imwrite(str(folder / 'wide.jpg'), cv2.resize(first, (200, 90)))
    (folder / 'corrupt.png').write_bytes(b'not an image')
    return folder


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    return _random_checkpoint(
        TCM_TOY, tmp_path_factory.mktemp('tcm_ckpt') / 'tcm.pth')


def test_tcm_maps_over_a_folder(images, checkpoint, tmp_path):
    out_dir = tmp_path / 'out'
    res = run_tool([TOOL, TCM_TOY, str(checkpoint), str(images),
                    '--out-dir', str(out_dir), '--alpha', '0.6'])
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    assert 'corrupt.png' in res.stdout
    assert '3 images written' in res.stdout
    assert '1 unreadable skipped' in res.stdout
    assert not list(out_dir.glob('corrupt*'))

    # the toy test pipeline resizes to 256 (keep ratio), the preprocessor
    # pads to a multiple of 32; C5 is at stride 32
    expected = {}
    for img_path in sorted(images.glob('*.jpg')):
        expected[img_path.stem] = ((8, 8), (8, 8))
    expected['wide'] = ((4, 8), (4, 8))  # 256 x 115 padded to 128 x 256
    for img_path in sorted(images.glob('*.jpg')):
        stem = img_path.stem
        img = cv2.imread(str(img_path))
        for suffix in SUFFIXES:
            blend = cv2.imread(str(out_dir / f'{stem}_{suffix}.png'))
            assert blend is not None and blend.shape == img.shape
        maps = np.load(out_dir / f'{stem}_tcm_maps.npz')
        feat_hw, valid_hw = expected[stem]
        for key in ('score_map', 'image_embedding_norm',
                    'visual_prompt_norm'):
            assert maps[key].shape == feat_hw and maps[key].dtype == np.float32
            assert np.isfinite(maps[key]).all()
        assert tuple(maps['valid_hw']) == valid_hw
        assert tuple(maps['input_hw']) == tuple(32 * n for n in feat_hw)
        # cosine similarities; norms are non-negative
        assert np.abs(maps['score_map']).max() <= 1. + 1e-5
        assert maps['image_embedding_norm'].min() >= 0
    lines = [ln for ln in res.stdout.splitlines() if 'score map' in ln]
    assert len(lines) == 3


def test_maps_match_the_model(images, checkpoint, tmp_path):
    """In process: the npz holds the model's own prompt_maps, and the
    score PNG is the min-max normalised cosine over the image."""
    tool = _load_tool()
    img_path = sorted(images.glob('*.jpg'))[0]
    out_dir = tmp_path / 'one'
    tool.main([TCM_TOY, str(checkpoint), str(img_path), '--out-dir',
               str(out_dir), '--alpha', '1'])
    maps = np.load(out_dir / f'{img_path.stem}_tcm_maps.npz')

    from mmtextknow.visualization.model_inputs import (
        build_model, inference_pipeline_steps, load_config, preprocess_image)
    from mmcv.transforms import Compose
    cfg = load_config(str(REPO_ROOT / TCM_TOY))
    model = build_model(cfg, str(checkpoint))
    steps, _ = inference_pipeline_steps(cfg)
    img = cv2.imread(str(img_path))
    inputs, _ = preprocess_image(model, Compose(steps), str(img_path), img)
    with torch.no_grad():
        ref = model.prompt_maps(model.backbone(inputs)[-1])
    np.testing.assert_allclose(maps['score_map'],
                               ref['score_map'][0, 0].numpy(), atol=1e-5)
    np.testing.assert_allclose(
        maps['visual_prompt_norm'],
        ref['visual_prompt'][0].norm(dim=0).numpy(), rtol=1e-4, atol=1e-5)
    # alpha 1: the PNG is the colour map alone; its extremes are JET's ends
    score = cv2.imread(str(out_dir / f'{img_path.stem}_score.png'))
    heat = tool.heat_of('score_map', ref['score_map'][0], img.shape[:2])
    assert heat.min() == 0 and heat.max() == pytest.approx(1.)
    expected = cv2.applyColorMap(
        np.round(heat * 255).astype(np.uint8), cv2.COLORMAP_JET)
    assert np.abs(score.astype(int) - expected.astype(int)).max() <= 1


def test_bad_single_image_and_non_tcm_model(images, checkpoint, tmp_path):
    tool = _load_tool()
    # a single unreadable image: an error naming it, before the model
    with pytest.raises(DataError, match='corrupt.png: unreadable image'):
        tool.main([TCM_TOY, str(checkpoint), str(images / 'corrupt.png'),
                   '--out-dir', str(tmp_path / 'bad')])
    assert not (tmp_path / 'bad').exists()
    # a plain DBNet has no prompt maps
    dbnet_ckpt = _random_checkpoint(DEMO_CONFIG, tmp_path / 'dbnet.pth')
    with pytest.raises(DataError, match='not a TCM model'):
        tool.main([DEMO_CONFIG, str(dbnet_ckpt),
                   str(sorted(images.glob('*.jpg'))[0]), '--out-dir',
                   str(tmp_path / 'db')])
    with pytest.raises(FileNotFoundError, match='checkpoint not found'):
        tool.main([TCM_TOY, str(tmp_path / 'none.pth'), str(images),
                   '--out-dir', str(tmp_path / 'x')])
