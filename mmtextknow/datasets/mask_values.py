"""Pixel values of text masks, on disk and inside the pipeline.

Converted mask files (the PNGs our converters write and
:class:`~mmtextknow.datasets.transforms.LoadTextMasks` reads) are
single-channel ``uint8`` images:

- :data:`FILE_BACKGROUND` (0): background;
- :data:`FILE_TEXT` (255): text;
- :data:`FILE_IGNORE` (127): don't care (e.g. TextSeg's 255 label, ICDAR
  2013's don't-care characters). A reader that only thresholds at 127
  sees these pixels as background.

Inside the pipeline (``gt_pixel_mask`` / ``gt_polygon_mask``) a mask is
``uint8`` with 0 = background, 1 = text and :data:`IGNORE_INDEX` (255) =
don't care, the convention of MMSegmentation; metrics and losses exclude
:data:`IGNORE_INDEX` pixels.
"""

FILE_BACKGROUND = 0
FILE_TEXT = 255
FILE_IGNORE = 127

IGNORE_INDEX = 255
