"""LookaheadRAdam (timm's Lookahead around torch's RAdam) through MMEngine's
optimiser wrapper: the update rule, parameter groups, schedules, state."""
import copy

import pytest
import torch
import torch.nn as nn
from mmengine.optim import build_optim_wrapper
from mmengine.optim.scheduler import PolyLR
from mmengine.registry import init_default_scope

import mmtextknow  # noqa: F401


def _model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.LayerNorm(3), nn.Linear(3, 1))


def _loss(model: nn.Module, step: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(step)
    x = torch.randn(8, 4, generator=gen)
    return (model(x) - x[:, :1]).pow(2).mean()


def _wrapper(model, **optimizer):
    init_default_scope('mmocr')
    return build_optim_wrapper(
        model,
        dict(type='OptimWrapper',
             optimizer=dict(type='LookaheadRAdam', **optimizer)))


def test_builds_lookahead_around_radam():
    from timm.optim import Lookahead
    wrapper = _wrapper(_model(), lr=1e-2)
    assert isinstance(wrapper.optimizer, Lookahead)
    assert isinstance(wrapper.optimizer._base_optimizer, torch.optim.RAdam)
    group = wrapper.optimizer.param_groups[0]
    assert group['lr'] == 1e-2 and group['weight_decay'] == 0
    assert group['betas'] == (0.95, 0.999) and group['eps'] == 1e-5


def test_update_rule_is_radam_with_lookahead_every_k_steps():
    """Against torch's RAdam stepped by hand, with the Lookahead rule
    applied by hand every k steps: slow weights start at the fast weights
    of the first synchronisation (timm), then slow += alpha * (fast -
    slow) and the fast weights restart from the slow ones."""
    k, alpha = 3, 0.5
    model = _model()
    ref = copy.deepcopy(model)
    wrapper = _wrapper(model, lr=0.05, k=k, alpha=alpha)
    radam = torch.optim.RAdam(ref.parameters(), lr=0.05, betas=(0.95, 0.999),
                              eps=1e-5)
    slow = None
    for step in range(1, 3 * k + 2):
        wrapper.update_params(_loss(model, step))
        radam.zero_grad()
        _loss(ref, step).backward()
        radam.step()
        if step % k == 0:
            with torch.no_grad():
                if slow is None:
                    slow = [p.detach().clone() for p in ref.parameters()]
                for s, p in zip(slow, ref.parameters()):
                    s.add_(p - s, alpha=alpha)
                    p.copy_(s)
        for p, q in zip(model.parameters(), ref.parameters()):
            torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6)
    assert all(p.grad is None or not p.grad.any()
               for p in model.parameters())  # zero_grad after the step


def test_param_groups_schedules_and_state_dict():
    model = _model()
    init_default_scope('mmocr')
    cfg = dict(
        type='OptimWrapper',
        constructor='NormDecayOptimWrapperConstructor',
        optimizer=dict(type='LookaheadRAdam', lr=1e-2, weight_decay=1e-4),
        paramwise_cfg=dict(norm_decay_mult=0.,
                           custom_keys={'0': dict(lr_mult=0.1)}))
    wrapper = build_optim_wrapper(model, copy.deepcopy(cfg))
    groups = wrapper.optimizer.param_groups
    lrs = sorted({g['lr'] for g in groups})
    assert lrs == [pytest.approx(1e-3), pytest.approx(1e-2)]
    assert any(g['weight_decay'] == 0 for g in groups)  # the norm
    scheduler = PolyLR(wrapper, power=0.9, eta_min=0., end=10)
    for step in range(1, 8):
        wrapper.update_params(_loss(model, step))
        scheduler.step()
    base = wrapper.optimizer._base_optimizer
    assert [g['lr'] for g in base.param_groups] == [g['lr'] for g in groups]
    assert wrapper.get_lr()['lr'][0] < 1e-2  # the schedule reached RAdam

    state = copy.deepcopy(wrapper.state_dict())
    assert any('lookahead_slow_buff' in s for s in state['state'].values())
    clone = copy.deepcopy(model)
    clone_wrapper = build_optim_wrapper(clone, copy.deepcopy(cfg))
    clone_wrapper.load_state_dict(state)
    for step in range(8, 14):
        wrapper.update_params(_loss(model, step))
        clone_wrapper.update_params(_loss(clone, step))
    for p, q in zip(model.parameters(), clone.parameters()):
        torch.testing.assert_close(p, q)
