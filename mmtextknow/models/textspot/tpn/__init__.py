# Copyright (c) mmtextknow contributors. All rights reserved.
"""TPN: Towards End-to-end Text Spotting with Convolutional Recurrent Neural
Networks (Li, Wang, Shen, ICCV 2017): backbone, anchors, text proposal head,
varying-width RoI pooling, region feature encoder, text detection and text
recognition networks, and the spotter that joins them."""
from .anchors import (TPN_ANCHOR_RATIOS, TPN_ANCHOR_SCALES,
                      tpn_anchor_generator_cfg)
from .region_encoder import RegionFeatureEncoder
from .tdn import TextDetectionNetwork
from .tpn_head import TPN_RECT_KERNELS, TPNHead, select_hard_examples
from .tpn_spotter import TPNSpotter
from .trn import TextRecognitionNetwork, TPNCharset
from .varying_width_roi import VaryingWidthRoIPool, sequence_mask
from .vgg_stride8 import (VGG16Stride8, convert_vgg16_torchvision_state_dict,
                          vgg16_torchvision_key_map)

__all__ = [
    'TPN_ANCHOR_RATIOS', 'TPN_ANCHOR_SCALES', 'tpn_anchor_generator_cfg',
    'VaryingWidthRoIPool', 'sequence_mask', 'VGG16Stride8',
    'convert_vgg16_torchvision_state_dict', 'vgg16_torchvision_key_map',
    'TPN_RECT_KERNELS', 'TPNHead', 'select_hard_examples',
    'RegionFeatureEncoder', 'TextDetectionNetwork', 'TextRecognitionNetwork',
    'TPNCharset', 'TPNSpotter'
]
