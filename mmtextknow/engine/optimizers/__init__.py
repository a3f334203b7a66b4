from .lookahead_radam import build_lookahead_radam
from .norm_decay_constructor import NormDecayOptimWrapperConstructor

__all__ = ['build_lookahead_radam', 'NormDecayOptimWrapperConstructor']
