"""Text recognition: DAN (recognizer, CAM encoder, decoupled decoder)."""
from .decoders import DANDecoder
from .encoders import DANCAM
from .recognizers import DANRecognizer

__all__ = ['DANCAM', 'DANDecoder', 'DANRecognizer']
