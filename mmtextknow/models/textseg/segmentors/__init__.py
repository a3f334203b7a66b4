from .armnet import ARMNet, ARMNetBilinearDecoder
from .base import BaseTextSegmentor
from .fcn import FCNTextSegmentor

__all__ = [
    'ARMNet', 'ARMNetBilinearDecoder', 'BaseTextSegmentor', 'FCNTextSegmentor'
]
