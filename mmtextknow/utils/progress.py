"""Progress display for long loops (converters, crops, benchmarks)."""
import sys
from typing import Iterable, Iterator, Optional, TextIO, TypeVar

from mmengine.utils import ProgressBar

T = TypeVar('T')


class StepProgress:
    """MMEngine's :class:`~mmengine.utils.ProgressBar`, redrawn every ``step``
    items so that loops over millions of items stay cheap.

    The bar goes to ``file`` (standard output by default, as mmengine's
    ``track_progress``), so standard error keeps only the one-line error
    of a tool that fails. A total of 0 or ``enabled=False`` shows nothing.

    Args:
        total (int): Number of items.
        enabled (bool): Whether to show the bar. Defaults to True.
        step (int): Items between two redraws. Defaults to 100.
        file (TextIO, optional): Stream of the bar. Defaults to
            ``sys.stdout``.
    """

    def __init__(self,
                 total: int,
                 enabled: bool = True,
                 step: int = 100,
                 file: Optional[TextIO] = None) -> None:
        self.total = total
        self.step = max(1, step)
        self.count = 0
        self.pending = 0
        self.bar = (
            ProgressBar(total, file=file or sys.stdout)
            if enabled and total > 0 else None)

    def update(self) -> None:
        """Count one item; redraw every ``step`` items and at the last."""
        if self.bar is None:
            return
        self.count += 1
        self.pending += 1
        last = self.count >= self.total
        if self.pending >= self.step or last:
            self.bar.update(self.pending)
            self.pending = 0
            if last:
                self.bar.file.write('\n')
                self.bar.file.flush()


def track(items: Iterable[T],
          total: int,
          enabled: bool = True,
          step: int = 100) -> Iterator[T]:
    """Yield ``items`` while a :class:`StepProgress` counts them.

    Args:
        items (Iterable): The items.
        total (int): Their number.
        enabled (bool): Whether to show the bar. Defaults to True.
        step (int): Items between two redraws. Defaults to 100.

    Yields:
        The items, unchanged.
    """
    progress = StepProgress(total, enabled=enabled, step=step)
    for item in items:
        yield item
        progress.update()
