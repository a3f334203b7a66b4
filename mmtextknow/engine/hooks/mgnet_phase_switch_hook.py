"""Switch MGNet from its disconnected first training stage to the second."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmocr.registry import HOOKS


@HOOKS.register_module()
class MGNetPhaseSwitchHook(Hook):
    """Turn MGNet's stage 2 (the subset and CRF losses, and the mutual
    guidance unless the model disables it) on at a given iteration or epoch.

    MGNet trains in two stages: first with the loop between its two
    decoders disconnected and the SoftIoU loss only, then with the loop
    connected (phase-2 guidance) and the subset and CRF losses added; the
    Ours-alpha ablation (``MGNet(use_mutual_guidance=False)``) adds the
    losses in stage 2 but keeps the loop disconnected. The
    stage is derived from the runner's current iteration/epoch before every
    training iteration, so it is also right after ``--resume`` and no state
    needs saving. The learning-rate drop of the second stage belongs in the
    config's ``param_scheduler`` (e.g. ``MultiStepLR`` at the same point).

    Args:
        switch_iter (int, optional): First iteration (0-based) of stage 2.
        switch_epoch (int, optional): First epoch (0-based) of stage 2.
            Exactly one of ``switch_iter`` / ``switch_epoch`` is given.
    """

    priority = 'NORMAL'

    def __init__(self,
                 switch_iter: Optional[int] = None,
                 switch_epoch: Optional[int] = None) -> None:
        if (switch_iter is None) == (switch_epoch is None):
            raise ValueError('MGNetPhaseSwitchHook needs exactly one of '
                             'switch_iter and switch_epoch')
        self.switch_iter = switch_iter
        self.switch_epoch = switch_epoch

    def stage2_reached(self, runner) -> bool:
        """Whether the runner's position is in the second stage."""
        if self.switch_iter is not None:
            return runner.iter >= self.switch_iter
        return runner.epoch >= self.switch_epoch

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        enabled = self.stage2_reached(runner)
        if model.stage2 != enabled:
            model.stage2 = enabled
            guidance = enabled and getattr(model, 'use_mutual_guidance', True)
            print_log(
                f'MGNet stage {2 if enabled else 1} from iteration '
                f'{runner.iter} (epoch {runner.epoch}): weak losses '
                f'{"on" if enabled else "off"}, mutual guidance '
                f'{"on" if guidance else "off"}',
                logger='current')
