from types import SimpleNamespace

import pytest

from mmtextknow.engine import MGNetPhaseSwitchHook


class _Model:
    stage2 = False


def _runner(iteration, epoch):
    return SimpleNamespace(model=_Model(), iter=iteration, epoch=epoch)


@pytest.mark.parametrize('kwargs', [dict(), dict(switch_iter=1,
                                                 switch_epoch=1)])
def test_needs_exactly_one_switch_point(kwargs):
    with pytest.raises(ValueError):
        MGNetPhaseSwitchHook(**kwargs)


def test_switches_by_iteration_and_epoch():
    hook = MGNetPhaseSwitchHook(switch_iter=10)
    runner = _runner(9, 0)
    hook.before_train_iter(runner, 0)
    assert runner.model.stage2 is False
    runner.iter = 10
    hook.before_train_iter(runner, 0)
    assert runner.model.stage2 is True

    hook = MGNetPhaseSwitchHook(switch_epoch=2)
    runner = _runner(100, 1)
    hook.before_train_iter(runner, 0)
    assert runner.model.stage2 is False


def test_resumed_run_is_in_stage_two_at_once():
    """The stage follows the runner's position: after --resume past the
    switch point the very first iteration runs stage 2."""
    hook = MGNetPhaseSwitchHook(switch_epoch=2)
    runner = _runner(0, 5)  # a resumed runner at epoch 5
    hook.before_train_iter(runner, 0)
    assert runner.model.stage2 is True
