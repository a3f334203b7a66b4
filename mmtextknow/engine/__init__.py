from .hooks import MGNetPhaseSwitchHook, OTSGStatsHook
from .optimizers import NormDecayOptimWrapperConstructor

__all__ = [
    'MGNetPhaseSwitchHook', 'OTSGStatsHook', 'NormDecayOptimWrapperConstructor'
]
