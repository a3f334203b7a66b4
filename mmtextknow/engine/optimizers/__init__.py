from .norm_decay_constructor import NormDecayOptimWrapperConstructor

__all__ = ['NormDecayOptimWrapperConstructor']
