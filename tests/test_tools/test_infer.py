"""tools/infer.py on a generated image with a trained checkpoint."""
import json

from .helpers import DEMO_CONFIG, run_tool


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
