# Copyright (c) mmtextknow contributors. All rights reserved.
from .textseg_inferencer import TextSegInferencer

__all__ = ['TextSegInferencer']
