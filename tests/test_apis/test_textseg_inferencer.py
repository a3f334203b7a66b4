"""TextSegInferencer on generated images with randomly initialised models."""
from pathlib import Path

import mmcv
import numpy as np
import pytest

from mmtextknow.apis import TextSegInferencer
from mmtextknow.utils import DataError

FCN_CONFIG = 'configs/textseg/fcn/fcn_resnet18_8e_toy.py'
MGNET_CONFIG = 'configs/textseg/mgnet/mgnet_vgg-x0.25_12e_toy.py'


@pytest.fixture(scope='module')
def image_dir(tmp_path_factory) -> Path:
    """Two generated 128x128 test images."""
    from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                                generate_dataset)
    root = tmp_path_factory.mktemp('textseg_infer')
    generate_dataset(
        root, {'test': 2},
        cfg=SceneTextGeneratorConfig(img_size=128, seed=0),
        progress=False)
    return root / 'imgs' / 'test'


@pytest.fixture(scope='module')
def fcn(repo_root) -> TextSegInferencer:
    return TextSegInferencer(str(repo_root / FCN_CONFIG), device='cpu')


def assert_valid_prediction(pred: dict, shape: tuple, kinds: tuple) -> None:
    assert set(pred) == {f'{k}_{v}' for k in kinds for v in ('mask', 'prob')}
    for kind in kinds:
        mask, prob = pred[f'{kind}_mask'], pred[f'{kind}_prob']
        assert mask.shape == prob.shape == shape
        assert mask.dtype == np.uint8 and set(np.unique(mask)) <= {0, 1}
        assert prob.dtype == np.float32
        assert 0 <= prob.min() and prob.max() <= 1


def test_pipeline_has_no_ground_truth_steps(fcn):
    steps = [type(t).__name__ for t in fcn.pipeline.args[0].transforms]
    assert steps[0] == 'InferencerLoader'
    assert 'LoadTextMasks' not in steps


def test_fcn_masks_at_image_size_written_as_pngs(fcn, image_dir, tmp_path):
    image = sorted(image_dir.iterdir())[0]
    pred = fcn(str(image), out_dir=str(tmp_path),
               progress_bar=False)['predictions'][0]
    assert_valid_prediction(pred, mmcv.imread(image).shape[:2], ('pixel', ))

    mask_png = mmcv.imread(tmp_path / 'masks' / f'{image.stem}_pixel_mask.png',
                           flag='unchanged')
    np.testing.assert_array_equal(mask_png, pred['pixel_mask'] * 255)
    prob_png = mmcv.imread(tmp_path / 'masks' / f'{image.stem}_pixel_prob.png',
                           flag='unchanged')
    np.testing.assert_array_equal(
        prob_png, np.round(pred['pixel_prob'] * 255).astype(np.uint8))


def test_folder_and_array_inputs(fcn, image_dir):
    preds = fcn(str(image_dir), progress_bar=False)['predictions']
    assert len(preds) == 2
    array = np.zeros((40, 60, 3), np.uint8)
    pred = fcn([array], progress_bar=False)['predictions'][0]
    assert_valid_prediction(pred, (40, 60), ('pixel', ))


def test_mgnet_predicts_pixel_and_polygon_masks(repo_root, image_dir,
                                                 tmp_path):
    inferencer = TextSegInferencer(str(repo_root / MGNET_CONFIG),
                                   device='cpu')
    image = sorted(image_dir.iterdir())[0]
    pred = inferencer(str(image), out_dir=str(tmp_path), save_vis=True,
                      progress_bar=False)['predictions'][0]
    assert_valid_prediction(pred, (128, 128), ('pixel', 'polygon'))
    names = {path.name for path in (tmp_path / 'masks').iterdir()}
    assert names == {f'{image.stem}_{kind}_{what}.png'
                     for kind in ('pixel', 'polygon')
                     for what in ('mask', 'prob')}
    assert (tmp_path / 'vis' / f'{image.stem}.jpg').is_file()


def test_missing_input_names_the_path(fcn, tmp_path):
    missing = str(tmp_path / 'nope.jpg')
    with pytest.raises(FileNotFoundError, match='nope.jpg'):
        fcn(missing, progress_bar=False)


def test_unreadable_image_is_a_data_error(fcn, tmp_path):
    broken = tmp_path / 'broken.jpg'
    broken.write_text('not an image')
    with pytest.raises(DataError, match='broken.jpg'):
        fcn(str(broken), progress_bar=False)
