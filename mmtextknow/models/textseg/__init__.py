"""The pixel-level text segmentation task: preprocessor, segmentors, heads."""
from . import armnet  # noqa: F401  (ARM-Net building blocks)
from .data_preprocessors import TextSegDataPreprocessor
from .decoders import FCNTextSegHead
from .losses import DenseCRFLoss, SoftIoULoss, SubsetLoss
from .mgnet import MGNet, MGNetGuidedDecoder, MGNetVGGEncoder
from .segmentors import BaseTextSegmentor, FCNTextSegmentor

__all__ = [
    'BaseTextSegmentor', 'FCNTextSegHead', 'FCNTextSegmentor',
    'TextSegDataPreprocessor', 'DenseCRFLoss', 'SoftIoULoss', 'SubsetLoss',
    'MGNet', 'MGNetGuidedDecoder', 'MGNetVGGEncoder'
]
