# Copyright (c) mmtextknow contributors. All rights reserved.
"""Mask-guided text recognition: MMOCR's CRNN and ASTER with a text mask as
an extra input channel (MGNet, TIP 2021, Sec. III-C and Table IV(b)).

Importing the package registers its components into MMOCR's registries
(and imports :mod:`mmtextknow`, whose text segmentors give the predicted
masks)::

    custom_imports = dict(
        imports=['projects.mask_guided_recognition.mask_guided_recognition'],
        allow_failed_imports=False)
"""
import mmtextknow  # noqa: F401  (registers the segmentors, safe loading)

from .data_preprocessor import MASK_SOURCES, MaskChannelDataPreprocessor
from .recognizers import MaskGuidedASTER, MaskGuidedCRNN
from .structures import MaskedTextRecogDataSample
from .transforms import PackMaskedTextRecogInputs
from .widen import WidenInputConvHook, widen_conv_weight

__all__ = [
    'MASK_SOURCES', 'MaskChannelDataPreprocessor', 'MaskGuidedASTER',
    'MaskGuidedCRNN', 'MaskedTextRecogDataSample',
    'PackMaskedTextRecogInputs', 'WidenInputConvHook', 'widen_conv_weight'
]
