# Copyright (c) mmtextknow contributors. All rights reserved.
"""Inferencers of the tasks mmtextknow adds to MMOCR."""
from .inferencers import TextSegInferencer

__all__ = ['TextSegInferencer']
