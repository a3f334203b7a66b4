from .hooks import MGNetPhaseSwitchHook, OTSGStatsHook, TPNCurriculumHook
from .optimizers import (NormDecayOptimWrapperConstructor,
                         build_lookahead_radam)

__all__ = [
    'MGNetPhaseSwitchHook', 'OTSGStatsHook', 'TPNCurriculumHook',
    'NormDecayOptimWrapperConstructor', 'build_lookahead_radam'
]
