"""TextPipelineInferencer on a generated non-square image.

The toy models are built once per module from their configs. The heads of
the detector and of the segmenter are trained for a few steps on this one
image's (random) features, so that their outputs mark the known word; the
weights go through a checkpoint file like any user's. The image is 160x72, which the toy configs resize by 1.6 (to
256x115, padded to 256x128 in the batch): anything left in the resized or
padded frame would miss the word drawn in the original frame.
"""
import json
from pathlib import Path

import cv2
import mmcv
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS

from mmtextknow.apis import TextPipelineInferencer
from mmtextknow.utils import DataError

DET_CONFIG = 'configs/textdet/dbnet/dbnet_resnet18_fpnc_8e_toy.py'
TCM_CONFIG = 'configs/textdet/tcm/tcm-dbnet_clip-tiny_fpnc_8e_toy.py'
REC_CONFIG = 'configs/textrecog/dan/dan_resnet45-cam_20e_toy.py'
SEG_CONFIG = 'configs/textseg/fcn/fcn_resnet18_8e_toy.py'
MGNET_CONFIG = 'configs/textseg/mgnet/mgnet_vgg-x0.25_12e_toy.py'
ARMNET_CONFIG = 'configs/textseg/armnet/armnet_resnet18_8e_toy.py'

WIDTH, HEIGHT = 160, 72
BACKGROUND = (60, 90, 120)
WORD_ORIGIN = (34, 50)  # bottom-left of the text, cv2.putText convention


def draw_word(canvas: np.ndarray, value) -> None:
    cv2.putText(canvas, 'TEXT', WORD_ORIGIN, cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                value, 4, cv2.LINE_8)


def word_image():
    """The image, its stroke mask and the word's box [x0, y0, x1, y1]."""
    image = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = BACKGROUND
    draw_word(image, (255, 255, 255))
    strokes = np.zeros((HEIGHT, WIDTH), np.uint8)
    draw_word(strokes, 1)
    x, y, w, h = cv2.boundingRect(strokes)
    return image, strokes, (x, y, x + w, y + h)


def box_iou(a, b) -> float:
    inter = (max(0, min(a[2], b[2]) - max(a[0], b[0])) *
             max(0, min(a[3], b[3]) - max(a[1], b[1])))
    union = ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) *
             (b[3] - b[1]) - inter)
    return inter / union


def best_box_iou(polygons, box) -> float:
    """The best IoU of a polygon's bounding box with ``box``."""
    return max(
        box_iou((min(p[0::2]), min(p[1::2]), max(p[0::2]), max(p[1::2])),
                box) for p in polygons)


def mask_iou(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a > 0, b > 0
    return (a & b).sum() / max((a | b).sum(), 1)


def save_checkpoint(model: torch.nn.Module, path: Path) -> str:
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), path)
    return str(path)


def build_model(repo_root: Path, config: str) -> torch.nn.Module:
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(repo_root / config))
    return MODELS.build(cfg.model).eval()


def fit_head(inferencer, head: torch.nn.Sequential, image: np.ndarray,
             target: np.ndarray, steps: int = 40) -> None:
    """Train ``head`` (the model's last layers, which map this one image's
    cached features to text logits) for a few steps so that its logits
    mark ``target`` (HxW, original frame); the rest stays random.

    The target is moved to the logits' grid with the resize the test
    pipeline applied (the sample's ``img_shape``) and the batch padding
    (bottom-right) seen at the backbone's input.
    """
    seen = {}

    def record(key, value):
        seen.setdefault(key, value)  # returns None: the inputs stay

    hooks = [
        head[0].register_forward_pre_hook(
            lambda m, args: record('feats', args[0].detach())),
        inferencer.model.backbone.register_forward_pre_hook(
            lambda m, args: record('input', args[0].shape)),
    ]
    try:
        sample = inferencer(
            image, return_datasamples=True,
            progress_bar=False)['predictions'][0]
    finally:
        for hook in hooks:
            hook.remove()
    feats = seen['feats']
    resized_h, resized_w = sample.img_shape[:2]
    canvas = np.zeros(seen['input'][-2:], np.float32)
    canvas[:resized_h, :resized_w] = cv2.resize(
        target.astype(np.float32), (resized_w, resized_h))
    with torch.no_grad():
        h, w = head(feats).shape[-2:]
    on_grid = cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA) > 0.5
    labels = torch.as_tensor(on_grid, dtype=torch.float32)
    # balance the classes: the word covers a small part of the image
    weight = torch.where(labels > 0, 0.5 / labels.sum(),
                         0.5 / (1 - labels).sum())
    optimizer = torch.optim.Adam(head.parameters(), lr=2e-2)
    for _ in range(steps):
        logits = head(feats).reshape(h, w)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            logits, labels, weight=weight, reduction='sum')
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


class RecognizerSpy:
    """Records the crops given to the recognizer."""

    def __init__(self, inferencer):
        self.inferencer, self.crops = inferencer, []

    def __call__(self, crops, **kwargs):
        self.crops.extend(crops)
        return self.inferencer(crops, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inferencer, name)


@pytest.fixture(scope='module')
def checkpoints(repo_root, tmp_path_factory):
    """Checkpoints of the toy DBNet and FCN fitted to the word (and of a
    random DAN), from the state dicts of models built from the configs."""
    from mmocr.apis.inferencers import TextDetInferencer

    from mmtextknow.apis import TextSegInferencer
    root = tmp_path_factory.mktemp('pipeline_ckpt')
    torch.manual_seed(0)
    image, strokes, (x0, y0, x1, y1) = word_image()
    # DB's kernel: the word shrunk by area * (1 - 0.4^2) / perimeter
    shrink = round((x1 - x0) * (y1 - y0) * 0.84 / (2 * (x1 - x0 + y1 - y0)))
    box = np.zeros_like(strokes)
    box[y0 + shrink:y1 - shrink, x0 + shrink:x1 - shrink] = 1
    det = TextDetInferencer(str(repo_root / DET_CONFIG), device='cpu')
    fit_head(det, det.model.det_head.binarize, image, box, steps=60)
    halo = cv2.dilate(strokes, np.ones((3, 3), np.uint8))
    seg = TextSegInferencer(str(repo_root / SEG_CONFIG), device='cpu')
    head = seg.model.decode_head
    fit_head(seg, torch.nn.Sequential(head.convs, head.conv_seg), image, halo)
    return dict(
        det=save_checkpoint(det.model, root / 'det.pth'),
        seg=save_checkpoint(seg.model, root / 'seg.pth'),
        rec=save_checkpoint(build_model(repo_root, REC_CONFIG),
                            root / 'rec.pth'))


@pytest.fixture(scope='module')
def pipeline(repo_root, checkpoints) -> TextPipelineInferencer:
    return TextPipelineInferencer(
        det=str(repo_root / DET_CONFIG), det_weights=checkpoints['det'],
        rec=str(repo_root / REC_CONFIG), rec_weights=checkpoints['rec'],
        seg=str(repo_root / SEG_CONFIG), seg_weights=checkpoints['seg'],
        device='cpu', dilation=3)


@pytest.fixture(scope='module')
def image_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp('pipeline_img') / 'word.png'
    mmcv.imwrite(word_image()[0], str(path))
    return path


@pytest.fixture(scope='module')
def run(pipeline, image_file, tmp_path_factory):
    """One run on the image file, writing everything; the recognizer's
    crops recorded."""
    out_dir = tmp_path_factory.mktemp('pipeline_out')
    spy = RecognizerSpy(pipeline.textrec_inferencer)
    pipeline.textrec_inferencer = spy
    try:
        result = pipeline(
            str(image_file), out_dir=str(out_dir), save_pred=True,
            save_vis=True, return_vis=True, progress_bar=False)
    finally:
        pipeline.textrec_inferencer = spy.inferencer
    return result, out_dir, spy.crops


def test_words_found_in_the_original_frame(run):
    result, _, _ = run
    pred = result['predictions'][0]
    _, _, word_box = word_image()
    assert pred['img_shape'] == [HEIGHT, WIDTH]
    assert len(pred['det_polygons']) == len(pred['det_scores']) >= 1
    for polygon in pred['det_polygons']:
        points = np.asarray(polygon).reshape(-1, 2)
        assert (points >= 0).all()
        assert (points[:, 0] <= WIDTH - 1).all()
        assert (points[:, 1] <= HEIGHT - 1).all()
    assert best_box_iou(pred['det_polygons'], word_box) > 0.5


def test_transcripts_one_per_word_from_the_word_crops(run):
    result, _, crops = run
    pred = result['predictions'][0]
    assert len(pred['rec_texts']) == len(pred['rec_scores']) == len(
        pred['det_polygons'])
    assert all(isinstance(text, str) for text in pred['rec_texts'])
    assert all(0 <= score <= 1 for score in pred['rec_scores'])
    assert len(crops) == len(pred['det_polygons'])
    # the crop of the word holds the word's white strokes
    assert max(float((crop == 255).all(-1).mean()) for crop in crops) > 0.1


def test_masks_at_image_size_on_the_strokes(run):
    pred = run[0]['predictions'][0]
    _, strokes, _ = word_image()
    mask = pred['pixel_mask']
    assert mask.shape == (HEIGHT, WIDTH) and mask.dtype == np.uint8
    assert mask_iou(mask, cv2.dilate(strokes, np.ones((3, 3)))) > 0.5
    removal = pred['removal_mask']
    assert removal.shape == (HEIGHT, WIDTH)
    # the removal mask is the pixel mask grown by 3 pixels, no more
    distance = cv2.distanceTransform((mask == 0).astype(np.uint8),
                                     cv2.DIST_L2, 5)
    assert (removal[mask > 0] == 1).all()
    assert (removal[distance > 3.5] == 0).all()
    assert (removal[(distance > 0) & (distance <= 2)] == 1).all()


def test_text_free_image_changes_only_inside_the_removal_mask(run):
    pred = run[0]['predictions'][0]
    image, strokes, _ = word_image()
    text_free, removal = pred['text_free'], pred['removal_mask']
    assert text_free.shape == image.shape and text_free.dtype == np.uint8
    np.testing.assert_array_equal(text_free[removal == 0],
                                  image[removal == 0])
    removed = (strokes > 0) & (removal > 0)
    assert removed.sum() > 0.8 * strokes.sum()
    # the white strokes (255) become the plain background again
    diff = np.abs(text_free[removed].astype(int) - BACKGROUND)
    assert diff.mean() < 20


def test_files_written_match_the_predictions(run, image_file):
    result, out_dir, _ = run
    pred = result['predictions'][0]
    stem = image_file.stem
    record = json.loads((out_dir / 'preds' / f'{stem}.json').read_text())
    assert len(record['det_polygons']) == len(pred['det_polygons'])
    for saved, polygon in zip(record['det_polygons'], pred['det_polygons']):
        np.testing.assert_allclose(saved, polygon)
    assert record['rec_texts'] == pred['rec_texts']
    assert record['img_shape'] == [HEIGHT, WIDTH]
    assert record['removal_mask_source'] == 'pixel'
    assert record['files'] == {
        'pixel_mask': f'masks/{stem}_pixel_mask.png',
        'removal_mask': f'masks/{stem}_removal_mask.png',
        'text_free': f'text_free/{stem}.png',
        'vis': f'vis/{stem}.png',
    }
    for key in ('pixel_mask', 'removal_mask'):
        png = mmcv.imread(out_dir / record['files'][key], flag='unchanged')
        np.testing.assert_array_equal(png, pred[key] * 255)
    np.testing.assert_array_equal(
        mmcv.imread(out_dir / record['files']['text_free']),
        pred['text_free'])
    vis = mmcv.imread(out_dir / record['files']['vis'])
    # words | transcripts | masks | text-free image, at the image's height
    assert vis.shape == (HEIGHT, 4 * WIDTH, 3)
    np.testing.assert_array_equal(vis[..., ::-1], result['visualization'][0])
    np.testing.assert_array_equal(vis[:, 3 * WIDTH:], pred['text_free'])


def test_arrays_batches_and_an_injected_remover(repo_root, checkpoints):
    seen = []

    def remover(image, mask):
        seen.append(mask.copy())
        return np.zeros_like(image)

    pipeline = TextPipelineInferencer(
        det=str(repo_root / DET_CONFIG), det_weights=checkpoints['det'],
        device='cpu', dilation=0, remover=remover)
    image, _, word_box = word_image()
    wide = cv2.copyMakeBorder(image, 0, 0, 0, 40, cv2.BORDER_REPLICATE)
    result = pipeline([image, wide], batch_size=2, out_dir='',
                      progress_bar=False)
    first, second = result['predictions']
    assert second['img_shape'] == [HEIGHT, WIDTH + 40]
    assert second['text_free'].shape == wide.shape
    assert 'rec_texts' not in first and 'pixel_mask' not in first
    # without a segmenter the filled word polygons are removed, undilated
    for pred, mask in zip((first, second), seen):
        np.testing.assert_array_equal(pred['removal_mask'], mask)
        assert mask.any()
        assert (pred['text_free'][mask > 0] == 0).all()
    # the word is found in both, where it was drawn (the padding on the
    # right changes the resize scale from 1.6 to 1.28)
    for pred in (first, second):
        assert best_box_iou(pred['det_polygons'], word_box) > 0.5


@pytest.mark.parametrize('seg_config,removal_mask', [
    (MGNET_CONFIG, 'polygon'),
    (ARMNET_CONFIG, 'pixel'),
])
def test_tcm_with_mgnet_or_armnet(repo_root, tmp_path, image_file,
                                  seg_config, removal_mask):
    # random weights (from checkpoints of fresh models): the wiring of any
    # detector and segmenter config is what is checked
    torch.manual_seed(0)
    det = save_checkpoint(build_model(repo_root, TCM_CONFIG),
                          tmp_path / 'tcm.pth')
    seg = save_checkpoint(build_model(repo_root, seg_config),
                          tmp_path / 'seg.pth')
    pipeline = TextPipelineInferencer(
        det=str(repo_root / TCM_CONFIG), det_weights=det,
        seg=str(repo_root / seg_config), seg_weights=seg, device='cpu',
        removal_mask=removal_mask)
    pred = pipeline(str(image_file), out_dir=str(tmp_path), save_pred=True,
                    progress_bar=False)['predictions'][0]
    for polygon in pred['det_polygons']:
        points = np.asarray(polygon).reshape(-1, 2)
        assert (points >= 0).all() and (points <= [WIDTH - 1,
                                                   HEIGHT - 1]).all()
    assert pred[f'{removal_mask}_mask'].shape == (HEIGHT, WIDTH)
    # grown by 3: every pixel within Euclidean distance 3 of the mask
    distance = cv2.distanceTransform(
        (pred[f'{removal_mask}_mask'] == 0).astype(np.uint8), cv2.DIST_L2,
        cv2.DIST_MASK_PRECISE)
    np.testing.assert_array_equal(pred['removal_mask'],
                                  (distance <= 3).astype(np.uint8))
    assert (tmp_path / pred['files']['text_free']).is_file()


def test_missing_files_are_named(repo_root, checkpoints, tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.py: config not found'):
        TextPipelineInferencer(det=str(tmp_path / 'nope.py'))
    with pytest.raises(FileNotFoundError,
                       match='nope.pth: checkpoint not found'):
        TextPipelineInferencer(
            det=str(repo_root / DET_CONFIG),
            seg=str(repo_root / SEG_CONFIG),
            seg_weights=str(tmp_path / 'nope.pth'))
    with pytest.raises(ValueError, match='needs a text segmentation model'):
        TextPipelineInferencer(
            det=str(repo_root / DET_CONFIG), removal_mask='pixel')


def test_missing_and_unreadable_images(pipeline, image_file, tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.jpg: input not found'):
        pipeline(str(tmp_path / 'nope.jpg'), progress_bar=False)
    broken = tmp_path / 'broken.jpg'
    broken.write_bytes(b'\xff\xd8\xff\xe0 not a jpeg')
    with pytest.raises(DataError, match='broken.jpg: cannot be decoded'):
        pipeline([str(image_file), str(broken)], out_dir='',
                 progress_bar=False)
    result = pipeline([str(broken), str(image_file)], out_dir='',
                      skip_unreadable=True, progress_bar=False)
    assert result['skipped'] == [str(broken)]
    assert len(result['predictions']) == 1


def test_the_shared_corrupt_jpeg(pipeline, shared_data):
    broken = shared_data / 'broken.jpg'
    with pytest.raises(DataError, match='broken.jpg: cannot be decoded'):
        pipeline(str(broken), out_dir='', progress_bar=False)
