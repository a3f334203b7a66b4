from .checkpoint_compat import allow_mmengine_checkpoints, history_buffer_getattr
from .cli import run_cli
from .errors import DataError
from .polygon import polygon_area, polygon_problem
from .progress import StepProgress, track
from .timing import time_callable
from .launch import (apply_common_options, build_runner, default_work_dir,
                     set_local_rank_env, setup_cpu_distributed,
                     teardown_distributed)

__all__ = [
    'allow_mmengine_checkpoints', 'history_buffer_getattr', 'DataError',
    'apply_common_options', 'build_runner', 'default_work_dir',
    'set_local_rank_env', 'setup_cpu_distributed', 'polygon_area',
    'polygon_problem', 'run_cli', 'StepProgress', 'track', 'time_callable', 'teardown_distributed'
]
