"""tools/dist_train.sh: 2 processes on the CPU with the gloo backend."""
import os
import socket
import subprocess
import sys

import pytest
import torch

from .helpers import DEMO_CONFIG, REPO_ROOT, tiny_cfg_options


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.skipif(torch.cuda.is_available(),
                    reason='checks the CPU (gloo) path')
def test_two_process_gloo_training(tiny_toy_data, tmp_path):
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(_free_port()),
               OMP_NUM_THREADS='1', PYTHONUNBUFFERED='1')
    proc = subprocess.run(
        ['bash', 'tools/dist_train.sh', DEMO_CONFIG, '2', '--work-dir',
         str(tmp_path)] + tiny_cfg_options(tiny_toy_data),
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'rank 0 of 2 (gloo backend)' in out
    # 6 images, 2 per batch: each of the 2 ranks runs 2 iterations an epoch
    # (a single process would run 3).
    assert 'Epoch(train) [1][2/2]' in out
    assert 'icdar/hmean' in out
    assert (tmp_path / 'epoch_1.pth').is_file()
