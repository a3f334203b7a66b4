"""MGNet: shapes, the two stages, semi-supervised gradients, the stage flag."""
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData

import mmtextknow  # noqa: F401
from mmocr.registry import MODELS
from mmtextknow.structures import TextSegDataSample

CONFIG = 'configs/textseg/mgnet/mgnet_vgg-x0.25_12e_toy.py'
SIZE = 64


@pytest.fixture
def model(repo_root):
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(repo_root / CONFIG))
    torch.manual_seed(0)
    return MODELS.build(cfg.model)


def _samples(has_pixel, has_polygon=None):
    has_polygon = has_polygon or [True] * len(has_pixel)
    samples = []
    for hp, hq in zip(has_pixel, has_polygon):
        meta = dict(has_pixel_mask=hp, has_polygon_mask=hq,
                    img_shape=(SIZE, SIZE), ori_shape=(SIZE, SIZE),
                    batch_input_shape=(SIZE, SIZE))
        sample = TextSegDataSample(metainfo=meta)
        mask = torch.zeros(1, SIZE, SIZE, dtype=torch.uint8)
        mask[:, 20:40, 10:50] = 1
        sample.gt_polygon_mask = PixelData(data=mask)
        sample.gt_pixel_mask = PixelData(data=mask * (torch.rand_like(
            mask, dtype=torch.float) > 0.5))
        samples.append(sample)
    return samples


def _grad_norm(module):
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    return sum(float(g.abs().sum()) for g in grads)


def test_stage1_has_iou_losses_only_and_stage2_adds_weak_losses(model):
    inputs = torch.randn(2, 3, SIZE, SIZE)
    losses = model.loss(inputs, _samples([True, False]))
    assert set(losses) == {'loss_iou_pixel', 'loss_iou_polygon'}
    model.stage2 = True
    losses = model.loss(inputs, _samples([True, False]))
    assert set(losses) == {
        'loss_iou_pixel', 'loss_iou_polygon', 'loss_subset', 'loss_crf'
    }
    assert all(torch.isfinite(v) for v in losses.values())


def test_phase2_runs_each_decoder_with_the_other_output(model):
    model.stage2 = True
    outputs = model.run_phases(torch.randn(1, 3, SIZE, SIZE))
    assert len(outputs.pixel) == len(outputs.polygon) == 2
    assert outputs.pixel[0].shape == (1, 1, SIZE, SIZE)
    # phase-2 outputs differ from phase 1 (non-zero guidance)
    assert not torch.allclose(outputs.pixel[0], outputs.pixel[1])


def test_stage1_polygon_only_batch_gives_no_gradient_to_pixel_decoder(model):
    """Eq. 2: without pixel GT no stage-1 loss reaches D_T."""
    losses = model.loss(torch.randn(2, 3, SIZE, SIZE),
                        _samples([False, False]))
    sum(losses.values()).backward()
    assert _grad_norm(model.pixel_decoder) == 0
    assert _grad_norm(model.polygon_decoder) > 0
    assert _grad_norm(model.encoder) > 0


def test_stage2_mixed_batch_reaches_both_branches_with_finite_grads(model):
    model.stage2 = True
    losses = model.loss(torch.randn(2, 3, SIZE, SIZE),
                        _samples([False, False]))
    sum(losses.values()).backward()
    # subset and CRF losses reach D_T without pixel GT (weak supervision)
    assert _grad_norm(model.pixel_decoder) > 0
    for p in model.parameters():
        if p.grad is not None:
            assert torch.isfinite(p.grad).all()


def test_ablation_switches(repo_root):
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(repo_root / CONFIG))
    cfg.model.update(subset_loss=None, crf_loss=None)  # Ours-beta
    model = MODELS.build(cfg.model)
    model.stage2 = True
    losses = model.loss(torch.randn(1, 3, SIZE, SIZE), _samples([True]))
    assert set(losses) == {'loss_iou_pixel', 'loss_iou_polygon'}


def test_stage2_without_mutual_guidance_keeps_the_weak_losses(repo_root):
    """Ours-alpha (Table IV keeps L_SB and L_CRF): stage 2 adds the subset
    and CRF losses on the phase-1 outputs, with no phase 2."""
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(repo_root / CONFIG))
    cfg.model.use_mutual_guidance = False
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.stage2 = True
    assert not model.mutual_guidance
    inputs = torch.randn(2, 3, SIZE, SIZE)
    outputs = model.run_phases(inputs)
    assert len(outputs.pixel) == len(outputs.polygon) == 1
    losses = model.loss(inputs, _samples([True, False]))
    assert set(losses) == {
        'loss_iou_pixel', 'loss_iou_polygon', 'loss_subset', 'loss_crf'
    }
    assert losses['loss_subset'] > 0 and losses['loss_crf'] > 0
    # The same weights with the loop connected: phase 2 runs.
    model.use_mutual_guidance = True
    assert len(model.run_phases(inputs).pixel) == 2


def test_predict_and_stage_flag_round_trip(model, repo_root):
    model.stage2 = True
    state = model.state_dict()
    assert bool(state['_stage2'])
    fresh = MODELS.build(Config.fromfile(str(repo_root / CONFIG)).model)
    assert not fresh.stage2 and not fresh.mutual_guidance
    fresh.load_state_dict(state)
    assert fresh.stage2 and fresh.mutual_guidance
    fresh.eval()
    out = fresh.predict(torch.randn(2, 3, SIZE, SIZE), _samples([True, True]))
    assert out[0].pred_pixel_mask.data.shape == (1, SIZE, SIZE)
    assert out[0].pred_polygon_mask.prob.dtype == torch.float32
