from .formatting import PackTextSegInputs
from .loading import LoadTextMasks
from .otsg import GenerateOTSGSequence
from .pack_text_sequence import PackTextSequenceInputs
from .semi_supervised import HideAnnotationForSubset, RandomHideOneMask
from .textseg_transforms import (RandomGaussianNoise, RasterizePolygonMask,
                                 TextSegRandomCrop, TextSegRandomFlip,
                                 TextSegRandomRotate, TextSegResize)
from .textspot_transforms import TextPreservingRandomCrop

__all__ = [
    'GenerateOTSGSequence', 'HideAnnotationForSubset', 'LoadTextMasks',
    'PackTextSegInputs', 'PackTextSequenceInputs', 'RandomGaussianNoise',
    'RandomHideOneMask', 'RasterizePolygonMask', 'TextSegRandomCrop',
    'TextSegRandomFlip', 'TextSegRandomRotate', 'TextSegResize',
    'TextPreservingRandomCrop'
]
