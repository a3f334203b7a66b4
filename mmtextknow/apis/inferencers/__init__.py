# Copyright (c) mmtextknow contributors. All rights reserved.
from .text_pipeline_inferencer import TextPipelineInferencer
from .text_removal import OpenCVInpainter, dilate_mask, remove_masked_text
from .textseg_inferencer import TextSegInferencer

__all__ = [
    'TextSegInferencer', 'TextPipelineInferencer', 'OpenCVInpainter',
    'dilate_mask', 'remove_masked_text'
]
