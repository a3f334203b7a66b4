"""Time ``python TOOL --help`` for every tool of the repository.

Each tool parses its arguments before it imports torch, MMOCR or the
registering ``mmtextknow`` package, so ``--help`` answers quickly. This
prints the wall time of each tool's ``--help`` (the best of ``--repeats``
runs, each in a fresh interpreter) and the slowest one.

Example::

    python tools/analysis_tools/benchmark_tool_help.py --repeats 3
"""
import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional

REPO_ROOT = Path(__file__).resolve().parents[2]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Time `python TOOL --help` for every tool.')
    parser.add_argument(
        '--repeats', type=int, default=3,
        help='runs per tool; the best is reported (default: 3)')
    parser.add_argument(
        '--limit', type=float, default=3.0,
        help='seconds a --help may take; exit 1 when one is slower '
        '(default: 3)')
    return parser.parse_args(argv)


def tool_scripts() -> List[Path]:
    """Every Python tool under tools/."""
    return sorted((REPO_ROOT / 'tools').rglob('*.py'))


def time_help(script: Path, repeats: int) -> float:
    """Best wall time of ``python SCRIPT --help`` over ``repeats`` runs.

    Raises:
        RuntimeError: If ``--help`` fails.
    """
    best = float('inf')
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script), '--help'],
                              cwd=REPO_ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f'{script}: --help failed:\n'
                               f'{proc.stderr[-2000:]}')
        best = min(best, elapsed)
    return best


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    slowest = (0.0, '')
    for script in tool_scripts():
        rel = script.relative_to(REPO_ROOT).as_posix()
        seconds = time_help(script, args.repeats)
        print(f'{seconds:6.2f} s  {rel}', flush=True)
        slowest = max(slowest, (seconds, rel))
    print(f'slowest: {slowest[1]} {slowest[0]:.2f} s '
          f'(limit {args.limit:.1f} s)')
    return 0 if slowest[0] <= args.limit else 1


if __name__ == '__main__':
    sys.exit(main())
