"""EAST's postprocessor: perfect maps of hand-made boxes decode to the
boxes in original-image coordinates (scale != 1, non-square), which
MMOCR's HmeanIOUMetric scores 1."""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmocr.evaluation import HmeanIOUMetric
from mmocr.structures import TextDetDataSample

from mmtextknow.models.textdet.east import EASTPostprocessor, EASTTargets
from test_east_targets import rotated_rect  # noqa: E402

# Original image 400 x 250 (w x h) resized by (0.64, 0.512) to 256 x 128.
SCALE = (0.64, 0.512)
ORIGINAL = [rotated_rect(130, 80, 220, 60, 12),
            rotated_rect(290, 190, 150, 40, -20)]


def _to_input(quad):
    return quad * np.array(SCALE)


def _perfect_maps(geometry):
    # rescaling a rotated rectangle by unequal factors makes a
    # parallelogram: the RBOX input boxes are therefore defined in input
    # coordinates as rectangles, QUAD ones as the scaled quads.
    if geometry == 'RBOX':
        quads = [rotated_rect(83, 41, 140, 30, 12),
                 rotated_rect(186, 97, 96, 20, -20)]
    else:
        quads = [_to_input(q) for q in ORIGINAL]
    t = EASTTargets(geometry).single(quads, [False, False], (32, 64), 4)
    logits = torch.from_numpy(t['score'] * 2 - 1)[None] * 20
    return quads, logits, torch.from_numpy(t['geometry'])


def _sample():
    s = TextDetDataSample(
        metainfo=dict(scale_factor=SCALE, img_shape=(128, 256),
                      ori_shape=(250, 400)))
    s.gt_instances = InstanceData(
        polygons=[q.reshape(-1) for q in ORIGINAL],
        ignored=torch.tensor([False, False]),
        bboxes=torch.zeros(2, 4), labels=torch.zeros(2, dtype=torch.long))
    return s


@pytest.mark.parametrize('geometry', ['RBOX', 'QUAD'])
def test_perfect_maps_decode_to_the_boxes_in_original_coordinates(geometry):
    quads, logits, geo = _perfect_maps(geometry)
    post = EASTPostprocessor(geometry=geometry)
    out = post([logits[None], geo[None]], [_sample()])[0]
    polys = out.pred_instances.polygons
    assert len(polys) == 2
    # the rescored box: mean score map inside the whole text, i.e. about
    # the area of the shrunk box over the box's, (w - 0.6 h)(h - 0.6 h)/wh:
    # 0.35 for both boxes (140 x 30, 96 x 20; QUAD: the same shapes)
    for score in out.pred_instances.scores:
        assert score.item() == pytest.approx(0.35, abs=0.03)
    expected = [q / np.array(SCALE) for q in quads]
    for exp in expected:
        assert any(
            np.allclose(np.roll(p.reshape(4, 2), k, 0), exp, atol=1e-2)
            for p in polys for k in range(4))
    metric = HmeanIOUMetric()
    metric.process({}, [out.to_dict()])
    assert metric.compute_metrics(metric.results)['hmean'] == \
        pytest.approx(1.0)


def test_low_scores_give_no_boxes():
    _, logits, geo = _perfect_maps('RBOX')
    post = EASTPostprocessor()
    out = post([logits[None] * 0 - 5, geo[None]], [_sample()])[0]
    assert out.pred_instances.polygons == []
    assert out.pred_instances.scores.shape == (0, )


def test_box_score_threshold_uses_the_mean_score_inside():
    _, logits, geo = _perfect_maps('RBOX')
    score = logits.sigmoid()
    post = EASTPostprocessor()
    quads = torch.tensor([[0., 0, 40, 0, 40, 40, 0, 40]]).numpy()
    mean = post.mean_scores(score[0].numpy(), quads)
    # cells with centres in [0, 40)^2: 10 x 10 cells at the top left
    assert mean[0] == pytest.approx(float(score[0, :10, :10].mean()))
