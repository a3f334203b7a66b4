"""Helpers shared by ``tools/train.py`` and ``tools/test.py``.

They add what MMEngine 0.10.7 lacks for CPU-only distributed runs and keep
the tools themselves thin.
"""
import logging
import os
import os.path as osp
from typing import Optional

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner


def default_work_dir(config_path: str) -> str:
    """MMOCR's default work directory: ``./work_dirs/{config name}``."""
    return osp.join('./work_dirs', osp.splitext(osp.basename(config_path))[0])


def setup_cpu_distributed(cfg: Config, launcher: str) -> bool:
    """Prepare a distributed run on machines without CUDA.

    MMEngine's ``pytorch`` launcher calls ``torch.cuda.set_device``
    unconditionally and wraps the model in DDP with
    ``device_ids=[LOCAL_RANK]``; both fail without a GPU. When CUDA is not
    available this initialises the process group with the ``gloo`` backend
    from torchrun's environment (the Runner then skips its own
    initialisation) and wraps the model with ``device_ids=None``.

    Args:
        cfg: The config; its ``model_wrapper_cfg`` and ``env_cfg`` are
            updated in place.
        launcher: The ``--launcher`` argument.

    Returns:
        bool: Whether a CPU process group was set up.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return False
    if launcher != 'pytorch':
        raise RuntimeError(
            f'--launcher {launcher} needs CUDA; on a machine without a GPU '
            'use torchrun with --launcher pytorch (tools/dist_train.sh).')
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    print_log(
        f'CPU distributed run: rank {dist.get_rank()} of '
        f'{dist.get_world_size()} (gloo backend)',
        logger='current',
        level=logging.INFO)
    return True


def teardown_distributed() -> None:
    """Destroy the process group, if any, before the process exits.

    MMEngine never destroys it; leaving a gloo group to the interpreter's
    exit can abort the process ("terminate called without an active
    exception") while its threads are still alive.
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def set_local_rank_env(local_rank: int) -> None:
    """Export ``LOCAL_RANK`` for launchers that pass ``--local_rank``."""
    os.environ.setdefault('LOCAL_RANK', str(local_rank))


def build_runner(cfg: Config) -> Runner:
    """Build the Runner named by ``cfg.runner_type`` or the default one."""
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def apply_common_options(cfg: Config,
                         config_path: str,
                         work_dir: Optional[str],
                         launcher: str,
                         cfg_options: Optional[dict] = None) -> Config:
    """Apply the options every tool shares (MMOCR's precedence).

    Args:
        cfg: The loaded config.
        config_path: Its path, for the default work directory.
        work_dir: ``--work-dir``; takes precedence over the config's.
        launcher: ``--launcher``.
        cfg_options: ``--cfg-options``, merged into the config.

    Returns:
        Config: ``cfg``, updated in place.
    """
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = default_work_dir(config_path)
    setup_cpu_distributed(cfg, launcher)
    return cfg
