from .loading import LoadTextMasks

__all__ = ['LoadTextMasks']
