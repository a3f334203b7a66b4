# Copyright (c) mmtextknow contributors. All rights reserved.
"""Inferencers of the tasks mmtextknow adds to MMOCR, and the one-call
detection -> recognition -> segmentation -> text removal pipeline."""
from .inferencers import (OpenCVInpainter, TextPipelineInferencer,
                          TextSegInferencer, dilate_mask, remove_masked_text)

__all__ = [
    'TextSegInferencer', 'TextPipelineInferencer', 'OpenCVInpainter',
    'dilate_mask', 'remove_masked_text'
]
