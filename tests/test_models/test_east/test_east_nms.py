"""Locality-aware NMS: the weighted merge of consecutive boxes, then NMS."""
import math

import torch

from mmtextknow.models.textdet.east import (locality_aware_nms,
                                            merge_consecutive)


def box(x0, y0, w=10, h=10):
    return [x0, y0, x0 + w, y0, x0 + w, y0 + h, x0, y0 + h]


def test_merge_consecutive_by_hand():
    quads = torch.tensor([box(0, 0), box(2, 0), box(100, 0), box(1, 1)],
                         dtype=torch.float32)
    scores = torch.tensor([1., 3., 2., 0.5])
    merged, merged_scores = merge_consecutive(quads, scores, 0.2)
    # boxes 0 and 1 overlap (IoU 80 / 120): x = (0 * 1 + 2 * 3) / 4 = 1.5,
    # score 1 + 3; the far box and the last box are runs of their own (the
    # last one is not consecutive to box 0/1).
    assert merged_scores.tolist() == [4., 2., 0.5]
    torch.testing.assert_close(merged[0], torch.tensor(box(1.5, 0)))
    torch.testing.assert_close(merged[1:], quads[2:])


def test_locality_aware_nms_merges_then_suppresses():
    quads = torch.tensor([box(0, 0), box(2, 0), box(100, 0), box(1, 1)],
                         dtype=torch.float32)
    scores = torch.tensor([1., 3., 2., 0.5])
    kept, kept_scores = locality_aware_nms(quads, scores, 0.2)
    # the merged box (score 4) suppresses box(1, 1) (IoU ~ 0.7 > 0.2)
    assert kept_scores.tolist() == [4., 2.]
    torch.testing.assert_close(kept[0], torch.tensor(box(1.5, 0)))
    torch.testing.assert_close(kept[1], torch.tensor(box(100, 0),
                                                     dtype=torch.float32))


def test_rotated_boxes_and_a_row_of_pixels():
    # 30 pixels of one rotated text predicting nearly the same box: one box
    a = math.radians(25)
    base = torch.tensor([[0., 0], [40, 0], [40, 12], [0, 12]])
    rot = torch.tensor([[math.cos(a), math.sin(a)],
                        [-math.sin(a), math.cos(a)]])
    quad = (base @ rot + 50).reshape(-1)
    quads = quad.repeat(30, 1) + torch.linspace(-1, 1, 30)[:, None]
    kept, kept_scores = locality_aware_nms(quads, torch.full((30, ), 0.9))
    assert kept.shape == (1, 8)
    assert abs(kept_scores.item() - 30 * 0.9) < 1e-3
    torch.testing.assert_close(kept[0], quad, atol=1e-4, rtol=0)


def test_empty_and_single():
    kept, scores = locality_aware_nms(torch.zeros(0, 8), torch.zeros(0))
    assert kept.shape == (0, 8) and scores.shape == (0, )
    kept, scores = locality_aware_nms(
        torch.tensor([box(0, 0)], dtype=torch.float32), torch.tensor([0.9]))
    assert kept.shape == (1, 8)
    torch.testing.assert_close(scores, torch.tensor([0.9]))
