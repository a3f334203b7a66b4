"""tools/infer.py on a generated image with a trained checkpoint."""
import json

import mmcv
import numpy as np
import pytest

from .helpers import DEMO_CONFIG, REPO_ROOT, run_tool


def test_infer_saves_predictions(tiny_toy_data, tmp_path):
    # A checkpoint is not needed to check the wiring: random weights are
    # allowed by MMOCR's inferencer and give (possibly empty) predictions.
    image = sorted((tiny_toy_data / 'imgs' / 'test').iterdir())[0]
    proc = run_tool(['tools/infer.py', str(image), '--det', DEMO_CONFIG,
                     '--out-dir', str(tmp_path), '--save_pred',
                     '--device', 'cpu'])
    assert proc.returncode == 0, proc.stderr[-3000:]
    preds = list((tmp_path / 'preds').glob('*.json'))
    assert len(preds) == 1
    pred = json.loads(preds[0].read_text())
    assert 'det_polygons' in pred and 'det_scores' in pred


def test_infer_missing_input_is_a_clear_error(tmp_path):
    proc = run_tool(['tools/infer.py', str(tmp_path / 'nope.jpg'), '--det',
                     DEMO_CONFIG])
    assert proc.returncode == 1
    assert 'nope.jpg: input not found' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_infer_seg_writes_masks(tiny_toy_data, tmp_path):
    image = sorted((tiny_toy_data / 'imgs' / 'test').iterdir())[0]
    proc = run_tool(['tools/infer.py', str(image), '--seg',
                     'configs/textseg/fcn/fcn_resnet18_8e_toy.py',
                     '--out-dir', str(tmp_path), '--device', 'cpu',
                     '--print-result'])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / 'masks' / f'{image.stem}_pixel_mask.png').is_file()
    assert 'text pixels' in proc.stdout


def test_infer_spot_writes_words(tiny_toy_data, tmp_path):
    # random weights: the wiring (pipeline without annotations, the
    # spotter's predictions, JSON and drawing) is what is checked
    image = sorted((tiny_toy_data / 'imgs' / 'test').iterdir())[0]
    proc = run_tool(['tools/infer.py', str(image), '--spot',
                     'configs/textspot/tpn/tpn_vgg16-x0.25_12e_toy.py',
                     '--out-dir', str(tmp_path), '--device', 'cpu',
                     '--save_pred', '--save_vis'])
    assert proc.returncode == 0, proc.stderr[-3000:]
    pred = json.loads((tmp_path / 'preds' / f'{image.stem}.json').read_text())
    assert {'polygons', 'bboxes', 'scores', 'texts'} <= set(pred)
    assert len(pred['texts']) == len(pred['scores']) == len(pred['polygons'])
    assert all(isinstance(t, str) for t in pred['texts'])
    assert (tmp_path / 'vis' / f'{image.stem}.jpg').is_file()


def test_infer_solo_models_do_not_combine(tmp_path):
    proc = run_tool(['tools/infer.py', str(tmp_path), '--spot', 'a.py',
                     '--det', DEMO_CONFIG])
    assert proc.returncode == 2
    assert '--spot runs alone' in proc.stderr


PIPELINE_CONFIGS = {
    'det': DEMO_CONFIG,
    'rec': 'configs/textrecog/dan/dan_resnet45-cam_20e_toy.py',
    'seg': 'configs/textseg/fcn/fcn_resnet18_8e_toy.py',
}


@pytest.fixture(scope='module')
def pipeline_weights(tmp_path_factory):
    """Checkpoints of fresh toy models (state dicts); the detector's last
    bias is +20, so that all of the (padded, resized) input is text: its
    one word is the whole image, clipped to the image."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmocr.registry import MODELS

    import mmtextknow  # noqa: F401
    init_default_scope('mmocr')
    root = tmp_path_factory.mktemp('infer_ckpt')
    torch.manual_seed(0)
    paths = {}
    for kind, config in PIPELINE_CONFIGS.items():
        model = MODELS.build(Config.fromfile(str(REPO_ROOT / config)).model)
        if kind == 'det':
            with torch.no_grad():
                model.det_head.binarize[-1].bias.fill_(20.0)
        paths[kind] = str(root / f'{kind}.pth')
        torch.save(dict(state_dict=model.state_dict()), paths[kind])
    return paths


def pipeline_args(weights, kinds=tuple(PIPELINE_CONFIGS)) -> list:
    args = []
    for kind in kinds:
        config = PIPELINE_CONFIGS[kind]
        args += [f'--{kind}', config, f'--{kind}-weights', weights[kind]]
    return args + ['--device', 'cpu']


def test_infer_pipeline_writes_every_file(tiny_toy_data, pipeline_weights,
                                          tmp_path):
    # a 160x96 image (resized by the toy configs with scale 1.6) and a
    # corrupt JPEG in the input folder
    inputs = tmp_path / 'inputs'
    inputs.mkdir()
    image = mmcv.imread(sorted((tiny_toy_data / 'imgs' / 'test').iterdir())[0])
    mmcv.imwrite(mmcv.imresize(image, (160, 96)), str(inputs / 'word.jpg'))
    (inputs / 'broken.jpg').write_bytes(b'\xff\xd8\xff\xe0 truncated')
    out = tmp_path / 'out'
    proc = run_tool(['tools/infer.py', str(inputs), '--out-dir', str(out),
                     '--save_pred', '--save_vis', '--skip-unreadable',
                     '--dilation', '2', '--print-result'] +
                    pipeline_args(pipeline_weights))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'word: 1 words [' in proc.stdout
    assert '1 image(s) processed, 1 skipped as unreadable' in proc.stdout
    assert f'skipped: {inputs / "broken.jpg"}' in proc.stdout

    pred = json.loads((out / 'preds' / 'word.json').read_text())
    assert pred['img_shape'] == [96, 160]
    # everything is text: one word, the whole image (clipped to it)
    assert len(pred['det_polygons']) == 1
    polygon = np.asarray(pred['det_polygons'][0]).reshape(-1, 2)
    np.testing.assert_allclose(polygon.min(0), [0, 0])
    np.testing.assert_allclose(polygon.max(0), [159, 95])
    assert len(pred['rec_texts']) == len(pred['rec_scores']) == 1
    assert pred['files'] == {
        'pixel_mask': 'masks/word_pixel_mask.png',
        'removal_mask': 'masks/word_removal_mask.png',
        'text_free': 'text_free/word.png',
        'vis': 'vis/word.png',
    }
    pixel = mmcv.imread(out / pred['files']['pixel_mask'], flag='unchanged')
    removal = mmcv.imread(out / pred['files']['removal_mask'],
                          flag='unchanged')
    text_free = mmcv.imread(out / pred['files']['text_free'])
    assert pixel.shape == removal.shape == (96, 160)
    assert set(np.unique(pixel)) <= {0, 255}
    assert ((removal > 0) >= (pixel > 0)).all()
    assert text_free.shape == (96, 160, 3)
    original = mmcv.imread(inputs / 'word.jpg')
    np.testing.assert_array_equal(text_free[removal == 0],
                                  original[removal == 0])
    assert mmcv.imread(out / pred['files']['vis']).shape[0] == 96


def test_infer_pipeline_unreadable_image_is_a_clear_error(
        pipeline_weights, shared_data, tmp_path):
    broken = shared_data / 'broken.jpg'
    proc = run_tool(['tools/infer.py', str(broken), '--out-dir',
                     str(tmp_path), '--save_pred'] +
                    pipeline_args(pipeline_weights, ('det', 'seg')))
    assert proc.returncode == 1
    assert f'{broken}: cannot be decoded as an image' in proc.stderr
    assert 'Traceback' not in proc.stderr


@pytest.mark.parametrize('missing,args', [
    ('seg.py: config not found', ['--seg', '{tmp}/seg.py']),
    ('seg.pth: checkpoint not found',
     ['--seg', PIPELINE_CONFIGS['seg'], '--seg-weights', '{tmp}/seg.pth']),
])
def test_infer_pipeline_missing_file_is_a_clear_error(tmp_path, missing,
                                                      args):
    args = [arg.format(tmp=tmp_path) for arg in args]
    proc = run_tool(['tools/infer.py', str(tmp_path), '--det', DEMO_CONFIG]
                    + args)
    assert proc.returncode == 1
    assert f'{tmp_path}/{missing}' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_infer_pipeline_options_need_det(tmp_path):
    proc = run_tool(['tools/infer.py', str(tmp_path), '--seg', 'a.py',
                     '--dilation', '2'])
    assert proc.returncode == 2
    assert '--dilation is an option of the pipeline' in proc.stderr
