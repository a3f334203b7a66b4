"""ARM-Net (ACCV 2022) for pixel-level scene text segmentation."""
from .dpd import (ARMNetBilinearStage, ARMNetChannelSemanticModule,
                  ARMNetDPD, ARMNetDPDStage, ARMNetSpatialContextUpsampler)
from .dtm import ARMNetDTM
from .gtm import ARMNetGTM
from .reassembly import content_aware_reassembly
from .rem import ARMNetAttentionUNet, ARMNetREM, ARMNetTextAttention
from .text_attention_target import (RecognizerTextAttention, ignore_weight,
                                    paste_word_maps, word_rois)
from .tsm import ARMNetTSM

__all__ = [
    'ARMNetAttentionUNet', 'ARMNetBilinearStage',
    'ARMNetChannelSemanticModule', 'ARMNetDPD', 'ARMNetDPDStage', 'ARMNetDTM',
    'ARMNetGTM', 'ARMNetREM', 'ARMNetSpatialContextUpsampler',
    'ARMNetTextAttention', 'ARMNetTSM', 'RecognizerTextAttention',
    'content_aware_reassembly', 'ignore_weight', 'paste_word_maps',
    'word_rois'
]
