from .hooks import MGNetPhaseSwitchHook, OTSGStatsHook, TPNCurriculumHook
from .optimizers import NormDecayOptimWrapperConstructor

__all__ = [
    'MGNetPhaseSwitchHook', 'OTSGStatsHook', 'TPNCurriculumHook',
    'NormDecayOptimWrapperConstructor'
]
