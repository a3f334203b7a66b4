"""Wall-clock timing for benchmark commands (not for tests)."""
import time
from typing import Callable, List, Optional

import torch


def time_callable(fn: Callable[[], object],
                  repeats: int = 10,
                  warmup: int = 2,
                  device: Optional[torch.device] = None) -> List[float]:
    """Wall time of ``fn()`` per call, after ``warmup`` untimed calls.

    CUDA work is synchronised before and after each timed call when
    ``device`` is a CUDA device, so the times include the kernels.

    Args:
        fn (Callable): The work to time, called without arguments.
        repeats (int): Number of timed calls. Defaults to 10.
        warmup (int): Number of untimed calls first. Defaults to 2.
        device (torch.device, optional): Device the work runs on.

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
    return times
