"""ARM-Net (ACCV 2022) for pixel-level scene text segmentation."""
from .dpd import (ARMNetBilinearStage, ARMNetChannelSemanticModule,
                  ARMNetDPD, ARMNetDPDStage, ARMNetSpatialContextUpsampler)
from .dtm import ARMNetDTM
from .gtm import ARMNetGTM
from .reassembly import content_aware_reassembly
from .tsm import ARMNetTSM

__all__ = [
    'ARMNetBilinearStage', 'ARMNetChannelSemanticModule', 'ARMNetDPD', 'ARMNetDPDStage',
    'ARMNetDTM', 'ARMNetGTM', 'ARMNetSpatialContextUpsampler', 'ARMNetTSM',
    'content_aware_reassembly'
]
