from .base import BaseTextSegmentor
from .fcn import FCNTextSegmentor

__all__ = ['BaseTextSegmentor', 'FCNTextSegmentor']
