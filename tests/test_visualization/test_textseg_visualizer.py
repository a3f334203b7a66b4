"""Tests of TextSegLocalVisualizer."""
import itertools

import mmcv
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmocr.registry import VISUALIZERS

from mmtextknow.structures.textseg_data_sample import TextSegDataSample
from mmtextknow.visualization import TextSegLocalVisualizer
from mmtextknow.visualization.textseg_visualizer import mask_outline

H, W = 20, 30
GREY = 100
_names = itertools.count()


def make_visualizer(**kwargs):
    """A fresh instance, made as the registry makes it (``get_instance``
    also makes it ``Visualizer.get_current_instance()``)."""
    return TextSegLocalVisualizer.get_instance(
        f'textseg_vis_{next(_names)}', alpha=1., **kwargs)


def box_mask(y0, y1, x0, x1):
    mask = torch.zeros(1, H, W, dtype=torch.uint8)
    mask[:, y0:y1, x0:x1] = 1
    return mask


def make_sample(gt=True, pred=True, has_pixel_mask=True):
    data_sample = TextSegDataSample(
        metainfo=dict(
            img_path='img.jpg',
            has_pixel_mask=has_pixel_mask,
            has_polygon_mask=True))
    if gt:
        data_sample.gt_pixel_mask = PixelData(data=box_mask(2, 6, 2, 10))
        data_sample.gt_polygon_mask = PixelData(data=box_mask(10, 18, 5, 25))
    if pred:
        mask = box_mask(12, 16, 8, 20)
        data_sample.pred_pixel_mask = PixelData(data=mask, prob=mask.float())
    return data_sample


@pytest.fixture
def image():
    return np.full((H, W, 3), GREY, np.uint8)


def is_color(pixels, rgb):
    return np.all(pixels == np.array(rgb, np.uint8), axis=-1)


def test_gt_and_pred_side_by_side(image, tmp_path):
    out_file = tmp_path / 'vis.jpg'
    drawn = make_visualizer().add_datasample(
        'img', image, make_sample(), out_file=str(out_file))
    assert drawn.shape == (H, 2 * W, 3)
    gt, pred = drawn[:, :W], drawn[:, W:]
    # gt panel: pixel mask in green, polygon mask outlined in blue
    assert is_color(gt[2:6, 2:10], (0, 255, 0)).all()
    assert is_color(gt[10, 5:25], (0, 0, 255)).all()
    assert (gt[14, 15] == GREY).all()  # inside the outline: untouched
    # pred panel: red where predicted, untouched elsewhere
    assert is_color(pred[12:16, 8:20], (255, 0, 0)).all()
    assert (pred[:10] == GREY).all()
    saved = mmcv.imread(str(out_file), channel_order='rgb')
    assert saved.shape == (H, 2 * W, 3)


def test_missing_fields(image):
    visualizer = make_visualizer()
    only_pred = visualizer.add_datasample('img', image,
                                          make_sample(gt=False))
    assert only_pred.shape == (H, W, 3)
    assert is_color(only_pred[12:16, 8:20], (255, 0, 0)).all()
    only_gt = visualizer.add_datasample('img', image, make_sample(pred=False))
    assert only_gt.shape == (H, W, 3)
    assert is_color(only_gt[2:6, 2:10], (0, 255, 0)).all()
    nothing = visualizer.add_datasample('img', image, TextSegDataSample())
    assert (nothing == image).all()
    assert (visualizer.add_datasample('img', image, None) == image).all()
    no_draw = visualizer.add_datasample(
        'img', image, make_sample(), draw_gt=False, draw_pred=False)
    assert no_draw.shape == (H, W, 3)


def test_placeholder_gt_and_prob_only_pred(image):
    sample = make_sample(has_pixel_mask=False)
    sample.pred_pixel_mask = PixelData(prob=box_mask(0, 4, 0, 4).float() *
                                       0.6)
    drawn = make_visualizer().add_datasample(
        'img', image, sample, pred_score_thr=0.5)
    gt, pred = drawn[:, :W], drawn[:, W:]
    assert not is_color(gt, (0, 255, 0)).any()  # flagged-off gt not drawn
    assert is_color(gt[10, 5:25], (0, 0, 255)).all()
    assert is_color(pred[:4, :4], (255, 0, 0)).all()
    assert not is_color(pred[4:], (255, 0, 0)).any()


def test_mask_resized_to_image_and_dict_sample():
    image = np.zeros((2 * H, 2 * W), np.uint8)  # grey-level, twice the size
    drawn = make_visualizer().add_datasample('img', image,
                                             make_sample().to_dict())
    assert drawn.shape == (2 * H, 4 * W, 3)
    assert is_color(drawn[4:12, 4:20], (0, 255, 0)).all()


def test_outline_is_inner_boundary():
    mask = np.zeros((6, 6), bool)
    mask[:4, 1:5] = True
    outline = mask_outline(mask, 1)
    assert outline[:4, 1].all() and outline[0, 1:5].all()
    assert not outline[1:3, 2:4].any() and not outline[4:].any()


def test_registered_build():
    init_default_scope('mmocr')
    visualizer = VISUALIZERS.build(
        dict(type='TextSegLocalVisualizer', name='textseg_vis_built'))
    assert isinstance(visualizer, TextSegLocalVisualizer)


def test_mmocr_visualization_hook(image, tmp_path):
    """MMOCR's hook (``tools/test.py --show-dir``) drives the visualiser."""
    from mmocr.engine.hooks import VisualizationHook
    img_path = tmp_path / 'img.png'
    mmcv.imwrite(image, str(img_path))
    make_visualizer(
        vis_backends=[dict(type='LocalVisBackend')],
        save_dir=str(tmp_path / 'vis'))
    sample = make_sample()
    sample.set_metainfo(dict(img_path=str(img_path)))
    hook = VisualizationHook(enable=True, draw_gt=True, draw_pred=True)
    hook.after_test_iter(None, 0, None, [sample])
    saved = list((tmp_path / 'vis').rglob('img_0.png'))
    assert len(saved) == 1
    assert mmcv.imread(str(saved[0])).shape == (H, 2 * W, 3)
