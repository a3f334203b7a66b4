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
    # rescored over the box shrunk as the targets are: exactly the cells of
    # score 1
    for score in out.pred_instances.scores:
        assert score.item() == pytest.approx(torch.tensor(20.).sigmoid())
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


def test_rescoring_averages_over_the_shrunk_box():
    _, logits, geo = _perfect_maps('RBOX')
    score = logits.sigmoid()[0].numpy()
    quads = np.array([[0., 0, 40, 0, 40, 40, 0, 40]])
    # shrunk by 0.3 x 40 = 12 on each side: (12, 28)^2 holds the centres
    # (j + 0.5) * 4 of cells 3..6
    mean = EASTPostprocessor().mean_scores(score, quads)
    assert mean[0] == pytest.approx(float(score[3:7, 3:7].mean()))
    # the authors' rule: the whole box, cells 0..9
    mean = EASTPostprocessor(rescore_shrink_ratio=0).mean_scores(
        score, quads)
    assert mean[0] == pytest.approx(float(score[:10, :10].mean()))
