"""Command-line conveniences shared by the tools."""
import sys
from typing import Callable

from .errors import DataError


def run_cli(main: Callable[[], None]) -> None:
    """Run a tool's ``main``; print bad-input errors as one line, exit 1.

    :class:`~mmtextknow.utils.DataError` (and ``FileNotFoundError`` raised
    for a config or checkpoint path) already names the file and the
    problem, so the traceback adds nothing for the user. Every other
    exception propagates unchanged.
    """
    try:
        main()
    except (DataError, FileNotFoundError) as e:
        print(f'error: {e}', file=sys.stderr)
        sys.exit(1)
