# Copyright (c) mmtextknow contributors. All rights reserved.
from .coco_ts import convert_coco_ts
from .icdar2013_seg import convert_icdar2013
from .icdar2017_mlt import convert_icdar2017_mlt, parse_mlt_line
from .icdar_txt import (BAD_INPUT_RULES, ConversionReport, ParsedAnnotation,
                        check_icdar_options, convert_icdar_txt,
                        parse_gt_file, parse_icdar_line, parse_icdar_txt,
                        read_image_size)
from .mlt_s import convert_mlt_s, mlt_s_subsets
from .td500 import convert_td500, parse_td500_line, rotated_box_corners
from .textseg import (SKIP_REASONS, SegSample, SkipSample, TextSegReport,
                      polygon_mask)
from .textseg_dataset import convert_textseg
from .textseg_warp import WarpOptions, warp_textseg_dataset
from .totaltext_seg import convert_totaltext

__all__ = [
    'BAD_INPUT_RULES', 'ConversionReport', 'ParsedAnnotation',
    'check_icdar_options', 'convert_icdar_txt', 'parse_gt_file',
    'parse_icdar_line', 'parse_icdar_txt', 'read_image_size',
    'convert_icdar2017_mlt', 'parse_mlt_line', 'convert_td500',
    'parse_td500_line', 'rotated_box_corners', 'SKIP_REASONS', 'SegSample',
    'SkipSample', 'TextSegReport', 'convert_coco_ts', 'convert_icdar2013',
    'convert_mlt_s', 'convert_textseg', 'convert_totaltext', 'mlt_s_subsets',
    'polygon_mask', 'WarpOptions', 'warp_textseg_dataset'
]
