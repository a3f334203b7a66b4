# Copyright (c) mmtextknow contributors. All rights reserved.
"""STKM: Self-attention based Text Knowledge Mining (CVPR 2021)."""
from .aspm import AdaptiveSpatialPositionMap
from .classification_head import STKMCharClassifier, STKMMultiLabel
from .decoder import STKMDecoder
from .fusion import STKMFeatureFusion
from .losses import LabelSmoothedKLLoss
from .stkm import STKM, BaseSTKM

__all__ = [
    'LabelSmoothedKLLoss', 'STKMFeatureFusion', 'AdaptiveSpatialPositionMap',
    'STKMDecoder', 'BaseSTKM', 'STKM',
    'STKMCharClassifier', 'STKMMultiLabel'
]
