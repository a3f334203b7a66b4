# Copyright (c) mmtextknow contributors. All rights reserved.
"""Region Feature Encoder: shapes, zero padding, padding invariance,
registry, empty input."""
import pytest
import torch
import torch.nn.functional as F

from mmocr.registry import MODELS
from mmtextknow.models.textspot.tpn.region_encoder import \
    RegionFeatureEncoder


def _inputs(lengths, channels=4, height=3, seed=0):
    torch.manual_seed(seed)
    lengths = torch.tensor(lengths)
    feats = torch.randn(len(lengths), channels, height, int(lengths.max()))
    for k, n in enumerate(lengths.tolist()):
        feats[k, ..., n:] = 0
    return feats, lengths


@pytest.mark.parametrize('bidirectional,num_layers', [(False, 1), (True, 1),
                                                      (True, 2)])
def test_shapes_and_zero_padding(bidirectional, num_layers):
    enc = RegionFeatureEncoder(
        in_channels=4,
        out_height=3,
        hidden_channels=6,
        bidirectional=bidirectional,
        num_layers=num_layers)
    enc.init_weights()
    feats, lengths = _inputs([5, 2, 7])
    seq, final = enc(feats, lengths)
    assert seq.shape == (3, 7, 6)
    assert final.shape == (3, 6)
    for k, n in enumerate(lengths.tolist()):
        assert torch.all(seq[k, n:] == 0)
        assert torch.all(seq[k, :n].abs().sum(-1) > 0)
    if not bidirectional:
        # final state == output at the last valid column
        for k, n in enumerate(lengths.tolist()):
            torch.testing.assert_close(final[k], seq[k, n - 1])
    else:
        half = 3
        for k, n in enumerate(lengths.tolist()):
            torch.testing.assert_close(final[k, :half], seq[k, n - 1, :half])
            torch.testing.assert_close(final[k, half:], seq[k, 0, half:])


@pytest.mark.parametrize('bidirectional', [False, True])
def test_padding_invariance(bidirectional):
    enc = RegionFeatureEncoder(
        in_channels=4, out_height=3, hidden_channels=8,
        bidirectional=bidirectional).eval()
    feats, lengths = _inputs([4])
    seq1, fin1 = enc(feats, lengths)
    # more columns appended (garbage, to show they are never read)
    padded = torch.cat([feats, torch.randn(1, 4, 3, 6)], dim=-1)
    seq2, fin2 = enc(padded, lengths)
    torch.testing.assert_close(seq2[:, :4], seq1, rtol=0, atol=1e-6)
    assert torch.all(seq2[:, 4:] == 0)
    torch.testing.assert_close(fin2, fin1, rtol=0, atol=1e-6)
    # batched with longer RoIs (zero padded to their width)
    others, other_len = _inputs([9, 2, 7], seed=1)
    batch = torch.cat([others[:1], F.pad(feats, (0, 5)), others[1:]], dim=0)
    seq3, fin3 = enc(batch, torch.cat([other_len[:1], lengths,
                                       other_len[1:]]))
    torch.testing.assert_close(seq3[1, :4], seq1[0], rtol=0, atol=1e-6)
    torch.testing.assert_close(fin3[1], fin1[0], rtol=0, atol=1e-6)


def test_registry_grad_and_empty():
    enc = MODELS.build(
        dict(
            type='RegionFeatureEncoder',
            in_channels=4,
            out_height=3,
            hidden_channels=6))
    feats, lengths = _inputs([3, 1])
    feats.requires_grad_(True)
    seq, final = enc(feats, lengths)
    (seq.sum() + final.sum()).backward()
    assert feats.grad is not None and torch.isfinite(feats.grad).all()
    # padding columns receive no gradient
    assert torch.all(feats.grad[1, ..., 1:] == 0)
    seq, final = enc(torch.zeros(0, 4, 3, 0), torch.zeros(0,
                                                          dtype=torch.long))
    assert seq.shape == (0, 0, 6) and final.shape == (0, 6)
    with pytest.raises(AssertionError):
        enc(torch.zeros(1, 5, 3, 2), torch.tensor([2]))
