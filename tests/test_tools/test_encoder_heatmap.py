"""tools/visualizations/encoder_heatmap.py: encoder heat maps of STKM and of
a detector's backbone (paper Fig. 5a) on the tiny generated images."""
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

TOOL = 'tools/visualizations/encoder_heatmap.py'
STKM_TOY = 'configs/pretrain/stkm/stkm_resnet18_fpn_toy.py'


def _load_tool():
    spec = importlib.util.spec_from_file_location('encoder_heatmap',
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
    """The tiny set's test images, one resized to 200x90, and a corrupt
    ``.png`` in the same folder."""
    folder = tmp_path_factory.mktemp('heat_imgs')
    for src in sorted((tiny_toy_data / 'imgs' / 'test').glob('*.jpg')):
        shutil.copy(src, folder / src.name)
    first = cv2.imread(str(sorted(folder.glob('*.jpg'))[0]))
    cv2.imwrite(str(folder / 'wide.jpg'), cv2.resize(first, (200, 90)))
    (folder / 'corrupt.png').write_bytes(b'not an image')
    (folder / 'notes.txt').write_text('not an image file')
    return folder


def _check_outputs(folder, out_dir):
    sizes = {}
    for img_path in sorted(folder.glob('*.jpg')):
        img = cv2.imread(str(img_path))
        stem = img_path.stem
        heat = np.load(out_dir / f'{stem}_heat.npy')
        blend = cv2.imread(str(out_dir / f'{stem}_heatmap.png'))
        assert heat.shape == img.shape[:2] and heat.dtype == np.float32
        assert heat.min() >= 0. and heat.max() == pytest.approx(1.)
        assert blend.shape == img.shape
        sizes[stem] = heat.shape
    assert not list(out_dir.glob('corrupt*'))
    assert sizes['wide'] == (90, 200)
    return sizes


def test_stkm_fused_map_over_a_folder(images, tmp_path):
    ckpt = _random_checkpoint(STKM_TOY, tmp_path / 'stkm.pth')
    out_dir = tmp_path / 'out'
    res = run_tool([TOOL, STKM_TOY, str(ckpt), str(images), '--out-dir',
                    str(out_dir), '--alpha', '0.6'])
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    _check_outputs(images, out_dir)
    # one line per image: the toy STKM's fused map is 128 x 16 x 16
    lines = [ln for ln in res.stdout.splitlines() if '_heatmap.png' in ln]
    assert len(lines) == 3 and all('fused 128x16x16' in ln for ln in lines)
    assert 'corrupt.png' in res.stdout
    assert '3 images written' in res.stdout
    assert '1 unreadable skipped' in res.stdout


def test_dbnet_backbone_stage_and_bad_single_image(images, tmp_path):
    ckpt = _random_checkpoint(DEMO_CONFIG, tmp_path / 'dbnet.pth')
    out_dir = tmp_path / 'out'
    res = run_tool([TOOL, DEMO_CONFIG, str(ckpt), str(images), '--out-dir',
                    str(out_dir), '--layer', 'c3'])
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    _check_outputs(images, out_dir)
    # ResNet-18 c3: 128 channels at stride 8 of the 256-px resized input
    assert 'c3 128x32x32' in res.stdout
    assert 'c3 128x16x32' in res.stdout  # wide.jpg -> 256x115, padded 128
    assert '1 unreadable skipped' in res.stdout
    # a single unreadable image: an error naming it (a one-line message
    # from run_cli), raised before the model is built
    tool = _load_tool()
    with pytest.raises(DataError, match='corrupt.png: unreadable image'):
        tool.main([DEMO_CONFIG, str(ckpt), str(images / 'corrupt.png'),
                   '--out-dir', str(tmp_path / 'bad'), '--layer', 'c3'])
    assert not (tmp_path / 'bad').exists()
