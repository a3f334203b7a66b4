# Copyright (c) mmtextknow contributors. All rights reserved.
"""The data sample of a word crop with its pixel-level text mask."""
from mmengine.structures import PixelData
from mmocr.structures import TextRecogDataSample


class MaskedTextRecogDataSample(TextRecogDataSample):
    """A :class:`~mmocr.structures.TextRecogDataSample` with the crop's
    ground-truth pixel-level text mask.

    Attributes:
        gt_pixel_mask (PixelData): ``data`` is a 1xHxW uint8 tensor aligned
            with the packed image: 1 text, 0 background; any other value
            (e.g. 255, don't care or padding) is not text.
    """

    @property
    def gt_pixel_mask(self) -> PixelData:
        return self._gt_pixel_mask

    @gt_pixel_mask.setter
    def gt_pixel_mask(self, value: PixelData) -> None:
        self.set_field(value, '_gt_pixel_mask', dtype=PixelData)

    @gt_pixel_mask.deleter
    def gt_pixel_mask(self) -> None:
        del self._gt_pixel_mask
