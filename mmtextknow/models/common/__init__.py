"""Components shared by several models (e.g. dictionaries), registered
into MMOCR's registries on import."""
from .otsg_dictionary import OTSGDictionary

__all__ = ['OTSGDictionary']
