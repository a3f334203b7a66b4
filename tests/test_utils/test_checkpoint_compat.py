import io
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

import mmtextknow  # noqa: F401
from mmtextknow.utils import history_buffer_getattr


def _roundtrip(obj):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    return torch.load(buffer)  # torch's default: weights_only=True


def test_loads_mmengine_message_hub_contents():
    buf = HistoryBuffer()
    buf.update(1.5)
    buf.update(2.5)
    ckpt = {
        'state_dict': {'w': torch.ones(2)},
        'message_hub': {'log_scalars': {'loss': buf}},
        'meta': {'np_scalar': np.float64(0.25), 'arr': np.arange(3)},
    }
    loaded = _roundtrip(ckpt)
    assert torch.equal(loaded['state_dict']['w'], torch.ones(2))
    assert loaded['message_hub']['log_scalars']['loss'].mean() == 2.0
    assert loaded['meta']['np_scalar'] == 0.25
    np.testing.assert_array_equal(loaded['meta']['arr'], np.arange(3))


def test_loads_a_history_buffer_never_updated():
    """Its empty arrays pickle their data through builtins.bytes."""
    loaded = _roundtrip({'message_hub': {'log_scalars': {
        'loss': HistoryBuffer()}}})
    assert len(loaded['message_hub']['log_scalars']['loss'].data[0]) == 0


def test_default_is_still_weights_only():
    """Safe loading stays on: an arbitrary global is still refused."""

    class Evil:

        def __reduce__(self):
            return (os.getcwd, ())

    with pytest.raises(pickle.UnpicklingError):
        _roundtrip({'x': Evil()})


def test_getattr_is_restricted_to_history_buffer_statistics():

    class EvilGetattr:

        def __reduce__(self):
            # an allowed class, but an attribute that is no statistic
            return (getattr, (HistoryBuffer, '__init__'))

    with pytest.raises(pickle.UnpicklingError, match='Refusing getattr'):
        _roundtrip({'x': EvilGetattr()})
    assert history_buffer_getattr(HistoryBuffer, 'mean') is HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError):
        history_buffer_getattr(HistoryBuffer, '__init__')
    with pytest.raises(pickle.UnpicklingError):
        history_buffer_getattr(os, 'system')


def test_fresh_process_loads_checkpoint_written_by_another(tmp_path):
    """HistoryBuffer's statistics are resolvable before any HistoryBuffer
    exists in the loading process (as in tools/test.py)."""
    buf = HistoryBuffer()
    buf.update(3.0)
    path = tmp_path / 'ckpt.pth'
    torch.save({'message_hub': {'log_scalars': {'loss': buf}}}, path)
    code = ('import torch, mmtextknow\n'
            f'ckpt = torch.load({str(path)!r})\n'
            "assert ckpt['message_hub']['log_scalars']['loss'].max() == 3.0\n")
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
