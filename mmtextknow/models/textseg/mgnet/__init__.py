from .guided_decoder import MGNetGuidedDecoder
from .mgnet import MGNet, MGNetOutputs
from .vgg_encoder import MGNetVGGEncoder

__all__ = ['MGNet', 'MGNetOutputs', 'MGNetGuidedDecoder', 'MGNetVGGEncoder']
