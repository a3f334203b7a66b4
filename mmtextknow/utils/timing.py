"""Wall-clock timing for benchmark commands (not for tests)."""
import platform
import sys
import time
from pathlib import Path
from typing import Callable, List, Optional

import torch
from torch import nn


def benchmark_device(device: Optional[str] = None,
                     threads: Optional[int] = None) -> torch.device:
    """The device a benchmark runs on (``device``, else CUDA when available,
    else the CPU), after setting torch's CPU threads to ``threads`` if
    given (the benchmark tools' ``--device`` / ``--threads``)."""
    if threads:
        torch.set_num_threads(threads)
    return torch.device(device or (
        'cuda' if torch.cuda.is_available() else 'cpu'))


def report_round(label: Optional[str], index: int, repeats: int,
                 seconds: float) -> None:
    """Print ``[label] round i/N: t s`` to standard error (the tables and
    JSON of a benchmark stay alone on standard output); nothing when
    ``label`` is None."""
    if label is not None:
        print(f'[{label}] round {index}/{repeats}: {seconds:.3f} s',
              file=sys.stderr, flush=True)


def time_callable(fn: Callable[[], object],
                  repeats: int = 10,
                  warmup: int = 2,
                  device: Optional[torch.device] = None,
                  label: Optional[str] = None) -> List[float]:
    """Wall time of ``fn()`` per call, after ``warmup`` untimed calls.

    CUDA work is synchronised before and after each timed call when
    ``device`` is a CUDA device, so the times include the kernels.

    Args:
        fn (Callable): The work to time, called without arguments.
        repeats (int): Number of timed calls. Defaults to 10.
        warmup (int): Number of untimed calls first. Defaults to 2.
        device (torch.device, optional): Device the work runs on.
        label (str, optional): When given, a line per timed call goes to
            standard error (:func:`report_round`).

    Returns:
        list[float]: Seconds of each timed call, in call order.
    """
    sync = (torch.cuda.synchronize if device is not None
            and torch.device(device).type == 'cuda' else (lambda: None))
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        sync()
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
        report_round(label, len(times), repeats, times[-1])
    return times


def time_interleaved(calls: List[Callable[[], object]],
                     repeats: int,
                     warmup: int,
                     device: torch.device,
                     label: Optional[str] = None) -> List[List[float]]:
    """Seconds of each call, one call of each per round.

    Interleaving puts every measurement (both models, whole and by module)
    in the same rounds, so a slow period of a shared machine hits them all
    rather than one model's rows. With ``label``, a line per round (the
    round's total time) goes to standard error.

    Returns:
        list[list[float]]: Per call, its ``repeats`` times.
    """
    for _ in range(warmup):
        for fn in calls:
            fn()
    times = [[] for _ in calls]
    for index in range(1, repeats + 1):
        for fn, fn_times in zip(calls, times):
            fn_times.extend(time_callable(fn, 1, 0, device))
        report_round(label, index, repeats, sum(t[-1] for t in times))
    return times


def device_name(device: torch.device) -> str:
    """A readable name of the device the models run on."""
    if device.type == 'cuda':
        return f'{device} ({torch.cuda.get_device_name(device)})'
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                return f'cpu ({line.split(":", 1)[1].strip()})'
    except OSError:
        pass
    return f'cpu ({platform.machine()})'


def num_params(module: Optional[nn.Module]) -> float:
    """Parameters of ``module`` in millions (0 for None)."""
    if module is None:
        return 0.
    return sum(p.numel() for p in module.parameters()) / 1e6
