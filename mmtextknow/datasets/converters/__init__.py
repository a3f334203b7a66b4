# Copyright (c) mmtextknow contributors. All rights reserved.
from .icdar_txt import (BAD_INPUT_RULES, ConversionReport, ParsedAnnotation,
                        check_icdar_options, convert_icdar_txt,
                        parse_icdar_txt, read_image_size)

__all__ = [
    'BAD_INPUT_RULES', 'ConversionReport', 'ParsedAnnotation',
    'check_icdar_options', 'convert_icdar_txt', 'parse_icdar_txt',
    'read_image_size'
]
