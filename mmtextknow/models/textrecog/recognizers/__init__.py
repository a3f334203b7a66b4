from .dan import DANRecognizer

__all__ = ['DANRecognizer']
