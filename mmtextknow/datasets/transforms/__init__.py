from .formatting import PackTextSegInputs
from .loading import LoadTextMasks
from .semi_supervised import HideAnnotationForSubset
from .textseg_transforms import (RandomGaussianNoise, RasterizePolygonMask,
                                 TextSegRandomCrop, TextSegRandomFlip,
                                 TextSegRandomRotate, TextSegResize)

__all__ = [
    'HideAnnotationForSubset', 'LoadTextMasks', 'PackTextSegInputs', 'RandomGaussianNoise',
    'RasterizePolygonMask', 'TextSegRandomCrop', 'TextSegRandomFlip',
    'TextSegRandomRotate', 'TextSegResize'
]
