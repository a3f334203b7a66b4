# Copyright (c) mmtextknow contributors. All rights reserved.
"""EAST: An Efficient and Accurate Scene Text Detector (CVPR 2017)."""
from .east import EAST
from .east_head import EASTHead
from .east_module_loss import (EASTModuleLoss, balanced_bce_loss, dice_loss,
                               quad_loss, rbox_iou_loss)
from .east_neck import EASTNeck
from .east_postprocessor import EASTPostprocessor
from .east_target import EASTTargets, fill_polygon, points_in_polygon
from .geometry import (order_clockwise, polygon_to_quad, quad_geometry,
                       rbox_frame, rbox_geometry, restore_quad, restore_rbox,
                       shrink_quad, signed_area)
from .locality_aware_nms import locality_aware_nms, merge_consecutive

__all__ = [
    'EAST', 'EASTHead', 'EASTModuleLoss', 'EASTNeck', 'EASTPostprocessor',
    'EASTTargets', 'balanced_bce_loss', 'dice_loss', 'quad_loss',
    'rbox_iou_loss', 'fill_polygon', 'points_in_polygon', 'order_clockwise',
    'polygon_to_quad', 'quad_geometry', 'rbox_frame', 'rbox_geometry', 'restore_quad',
    'restore_rbox', 'shrink_quad', 'signed_area', 'locality_aware_nms',
    'merge_consecutive'
]
