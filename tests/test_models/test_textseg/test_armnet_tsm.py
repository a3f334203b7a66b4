"""ARM-Net's TSM: criss-cross attention against a direct computation, the
reach of 1 and 2 passes, the DTM's receptive fields against eqs. (2)-(3),
TSM shapes for every switch, the switch errors."""
import pytest
import torch

from mmocr.registry import MODELS
from mmtextknow.models.textseg.armnet import ARMNetDTM, ARMNetGTM, ARMNetTSM

B, C, H, W = 1, 8, 9, 11


def criss_cross_reference(cca, x, gamma):
    """One criss-cross pass computed directly: each pixel's softmax over the
    H + W - 1 pixels of its row and column, as a masked dense attention."""
    b, c, h, w = x.shape
    query = cca.query_conv(x).flatten(2)
    key = cca.key_conv(x).flatten(2)
    value = cca.value_conv(x).flatten(2)
    rows = torch.arange(h).repeat_interleave(w)
    cols = torch.arange(w).repeat(h)
    criss_cross = (rows[:, None] == rows) | (cols[:, None] == cols)
    assert (criss_cross.sum(1) == h + w - 1).all()
    energy = torch.einsum('bcn,bcm->bnm', query, key)
    attn = energy.masked_fill(~criss_cross, float('-inf')).softmax(-1)
    out = torch.einsum('bnm,bcm->bcn', attn, value).view(b, c, h, w)
    return gamma * out + x


@pytest.mark.parametrize('gamma_init', [None, 0.7])
def test_gtm_matches_direct_criss_cross(gamma_init):
    torch.manual_seed(0)
    x = torch.randn(2, C, H, W)
    gamma = 1.0 if gamma_init is None else gamma_init  # None: eq. (1)
    one = ARMNetGTM(C, recurrence=1, gamma_init=gamma_init)
    two = ARMNetGTM(C, recurrence=2, gamma_init=gamma_init)
    two.load_state_dict(one.state_dict())
    with torch.no_grad():
        once = criss_cross_reference(one.cca, x, gamma)
        torch.testing.assert_close(one(x), once)
        # The second pass reuses the same weights.
        torch.testing.assert_close(
            two(x), criss_cross_reference(one.cca, once, gamma))
    has_scale = any('gamma' in name for name, _ in one.named_parameters())
    assert has_scale == (gamma_init is not None)


def test_gtm_gamma_zero_is_ccnet_identity_init():
    x = torch.randn(B, C, H, W)
    with torch.no_grad():
        torch.testing.assert_close(ARMNetGTM(C, gamma_init=0.)(x), x)


def _input_footprint(out, x, out_index):
    """Input pixels (H x W bool) whose value changes ``out[out_index]``."""
    grad, = torch.autograd.grad(out[out_index].sum(), x, retain_graph=True)
    return grad[0].abs().sum(0) > 0


def _gtm_corner_footprint(gtm):
    x = torch.randn(B, C, H, W, requires_grad=True)
    return _input_footprint(gtm(x), x, (0, slice(None), 0, 0))


@pytest.mark.parametrize('recurrence', [1, 2])
def test_gtm_recurrence_reaches_every_pixel(recurrence):
    torch.manual_seed(0)
    gtm = ARMNetGTM(C, recurrence=recurrence)
    footprint = _gtm_corner_footprint(gtm)
    if recurrence == 1:  # exactly row 0 and column 0
        expected = torch.zeros(H, W, dtype=torch.bool)
        expected[0, :] = expected[:, 0] = True
        assert torch.equal(footprint, expected)
        assert not footprint[H - 1, W - 1]
    else:
        assert footprint.all()


def test_gtm_with_convs_reaches_opposite_corner_after_two_passes():
    for recurrence, reaches in ((1, False), (2, True)):
        torch.manual_seed(0)
        gtm = ARMNetGTM(C, channels=16, recurrence=recurrence).eval()
        footprint = _gtm_corner_footprint(gtm)
        assert bool(footprint[H - 1, W - 1]) == reaches
    assert gtm.out_channels == 16


def paper_receptive_fields(dilations, kernel_size=3):
    """Eq. (3) per layer, eq. (2) for the stack: the receptive field after
    each of the first m layers (1 for m = 0)."""
    fields, layer_fields = [1], []
    for d in dilations:
        layer_fields.append((d - 1) * (kernel_size - 1) + kernel_size)
        fields.append(sum(layer_fields) - (len(layer_fields) - 1))
    return fields


def test_paper_receptive_field_of_default_rates():
    # The paper's text says "at most 26"; its eqs. (2)-(3) give 25 (and a
    # cascade of 3-tap kernels with rates 1, 2, 3, 6 does span 25 pixels).
    assert paper_receptive_fields((1, 2, 3, 6))[-1] == 25


@pytest.mark.parametrize('arrangement,dilations,vertical_dilations', [
    ('interleaved', (1, 2, 3, 6), None),
    ('interleaved', (1, 3, 6, 12), None),
    ('interleaved', (1, 6, 12, 18), None),
    ('interleaved', (1, 12, 18, 24), None),
    ('interleaved', (1, 2, 3, 6), (1, 1, 1, 1)),
    ('parallel', (1, 2, 3, 6), None),
    ('parallel', (1, 2, 3, 6), (1, 1, 1, 1)),
])
def test_dtm_receptive_fields_follow_eqs_2_3(arrangement, dilations,
                                            vertical_dilations):
    dtm = ARMNetDTM(2, channels=2, dilations=dilations,
                    vertical_dilations=vertical_dilations,
                    arrangement=arrangement, norm_cfg=None, act_cfg=None)
    for name, param in dtm.named_parameters():
        # All-ones weights: no cancellation, every path shows up.
        torch.nn.init.constant_(param, 0. if name.endswith('bias') else 1.)
    rh = paper_receptive_fields(dilations)
    rv = paper_receptive_fields(vertical_dilations or dilations)
    n = len(dilations)
    if arrangement == 'interleaved':  # [H1, V1, H2, V2, ...]
        expected = [s for m in range(1, n + 1)
                    for s in ((rv[m - 1], rh[m]), (rv[m], rh[m]))]
    else:  # [H1, ..., Hn, V1, ..., Vn]
        expected = [(1, rh[m]) for m in range(1, n + 1)]
        expected += [(rv[m], 1) for m in range(1, n + 1)]

    size = max(rh[-1], rv[-1]) + 2
    centre = size // 2
    x = torch.randn(1, 2, size, size, requires_grad=True)
    feats = dtm.forward_features(x)
    assert len(feats) == len(expected) == 2 * n
    for index, (height, width) in enumerate(expected):
        footprint = _input_footprint(feats[index], x,
                                     (0, slice(None), centre, centre))
        ys, xs = footprint.nonzero(as_tuple=True)
        # Centred on the output pixel; a horizontal layer of the parallel
        # arrangement sees its row only (height 1).
        assert (ys.min() + ys.max(), xs.min() + xs.max()) == (2 * centre,
                                                                2 * centre)
        assert (int(ys.max() - ys.min()) + 1,
                int(xs.max() - xs.min()) + 1) == (height, width), index
        if dilations == (1, 2, 3, 6):  # dense: no gridding holes
            assert footprint.sum() == height * width


@pytest.mark.parametrize('out_channels', [None, 16])
@pytest.mark.parametrize('use_gtm,use_dtm', [(True, True), (True, False),
                                             (False, True)])
def test_tsm_shapes_for_every_switch(use_gtm, use_dtm, out_channels):
    tsm = MODELS.build(
        dict(type='ARMNetTSM', in_channels=C, channels=8,
             out_channels=out_channels, use_gtm=use_gtm, use_dtm=use_dtm))
    assert isinstance(tsm, ARMNetTSM)
    concat = 8 * use_gtm + 2 * 4 * 8 * use_dtm
    assert tsm.out_channels == (out_channels or concat)
    assert (tsm.gtm is not None) == use_gtm
    assert (tsm.dtm is not None) == use_dtm
    out = tsm(torch.randn(2, C, H, W))
    assert out.shape == (2, tsm.out_channels, H, W)
    out.mean().backward()
    assert all(p.grad is not None for p in tsm.parameters()
               if p.requires_grad)


def test_tsm_dilations_and_sub_configs():
    tsm = ARMNetTSM(C, channels=8, dilations=(1, 3, 6, 12), recurrence=1,
                    gtm_cfg=dict(channels=None),
                    dtm_cfg=dict(arrangement='parallel'))
    assert tsm.dtm.dilations == tsm.dtm.vertical_dilations == (1, 3, 6, 12)
    assert tsm.dtm.arrangement == 'parallel'
    assert tsm.gtm.recurrence == 1 and tsm.gtm.out_channels == C
    assert tsm(torch.randn(B, C, H, W)).shape == (B, C + 64, H, W)


def test_registered_names():
    for cls in (ARMNetGTM, ARMNetDTM, ARMNetTSM):
        assert MODELS.get(cls.__name__) is cls


def test_switch_and_argument_errors():
    with pytest.raises(ValueError, match='use_gtm and use_dtm'):
        ARMNetTSM(C, use_gtm=False, use_dtm=False)
    with pytest.raises(ValueError, match='same length'):
        ARMNetDTM(C, dilations=(1, 2), vertical_dilations=(1, 2, 3))
    with pytest.raises(ValueError, match='non-empty'):
        ARMNetDTM(C, dilations=())
    with pytest.raises(ValueError, match='odd'):
        ARMNetDTM(C, kernel_size=2)
    with pytest.raises(ValueError, match='arrangement'):
        ARMNetDTM(C, arrangement='diagonal')
    with pytest.raises(ValueError, match='recurrence'):
        ARMNetGTM(C, recurrence=0)
    with pytest.raises(ValueError, match='8 channels'):
        ARMNetGTM(4)
