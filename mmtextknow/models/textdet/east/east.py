# Copyright (c) mmtextknow contributors. All rights reserved.
"""EAST: An Efficient and Accurate Scene Text Detector (CVPR 2017)."""
from mmocr.models.textdet.detectors import SingleStageTextDetector
from mmocr.registry import MODELS


@MODELS.register_module()
class EAST(SingleStageTextDetector):
    """EAST (Zhou et al., CVPR 2017) as an MMOCR single-stage detector.

    A backbone (e.g. mmdet's ResNet-50 with ``out_indices=(0, 1, 2, 3)``),
    the U-shaped merging branch :class:`EASTNeck` and :class:`EASTHead`
    (score map + RBOX or QUAD geometry), trained with
    :class:`EASTModuleLoss` and decoded by :class:`EASTPostprocessor`.
    The behaviour is :class:`SingleStageTextDetector`'s; the class names
    the method in configs and checkpoints.
    """
