"""Running the tools as a user would, on a seconds-long version of the demo."""
import os
import subprocess
import sys
from pathlib import Path
from typing import List

REPO_ROOT = Path(__file__).resolve().parents[2]

DEMO_CONFIG = 'configs/textdet/dbnet/dbnet_resnet18_fpnc_8e_toy.py'


def tiny_cfg_options(data_root: Path, max_epochs: int = 1) -> List[str]:
    """``--cfg-options`` for a run of ``max_epochs`` on ``data_root``."""
    options = [
        f'train_cfg.max_epochs={max_epochs}',
        'train_cfg.val_interval=1',
        'default_hooks.checkpoint.interval=1',
        'default_hooks.logger.interval=1',
        'model.neck.lateral_channels=32',
        'model.neck.out_channels=8',
        'model.det_head.in_channels=32',
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options += [
            f'{loader}.dataset.data_root={data_root}',
            f'{loader}.batch_size=2',
        ]
    return ['--cfg-options'] + options


def run_tool(args: List[str], cwd: Path = REPO_ROOT,
             timeout: int = 600) -> subprocess.CompletedProcess:
    """Run ``python ARGS`` in the repository as a user would."""
    env = dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='2')
    return subprocess.run([sys.executable] + args,
                          cwd=cwd,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=timeout)


def train_on(config: str, data_root: Path, work_dir: Path,
             options: List[str], timeout: int = 1200) -> str:
    """Run ``tools/train.py CONFIG`` with every dataloader reading
    ``data_root`` and the extra ``--cfg-options``; assert it succeeded and
    return its stdout + stderr (the learning tests parse the metrics)."""
    options = options + [
        f'{loader}.dataset.data_root={data_root}'
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader')
    ]
    proc = run_tool(['tools/train.py', config, '--work-dir',
                     str(work_dir), '--cfg-options'] + options,
                    timeout=timeout)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    return out
