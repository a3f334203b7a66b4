# Copyright (c) mmtextknow contributors. All rights reserved.
"""TPN: Towards End-to-end Text Spotting with Convolutional Recurrent Neural
Networks (Li, Wang, Shen, ICCV 2017): backbone, anchors and varying-width RoI
pooling."""
from .anchors import (TPN_ANCHOR_RATIOS, TPN_ANCHOR_SCALES,
                      tpn_anchor_generator_cfg)
from .varying_width_roi import VaryingWidthRoIPool, sequence_mask
from .vgg_stride8 import (VGG16Stride8, convert_vgg16_torchvision_state_dict,
                          vgg16_torchvision_key_map)

__all__ = [
    'TPN_ANCHOR_RATIOS', 'TPN_ANCHOR_SCALES', 'tpn_anchor_generator_cfg',
    'VaryingWidthRoIPool', 'sequence_mask', 'VGG16Stride8',
    'convert_vgg16_torchvision_state_dict', 'vgg16_torchvision_key_map'
]
