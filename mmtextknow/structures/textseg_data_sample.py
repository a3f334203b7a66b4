"""Data sample of the pixel-level text segmentation task."""
from mmengine.structures import BaseDataElement, InstanceData, PixelData


def _typed_field(name: str, dtype: type, doc: str) -> property:
    """A typed field stored as ``_{name}`` (MMOCR's data-sample convention,
    written once instead of once per field)."""
    private = f'_{name}'

    def getter(self):
        return getattr(self, private)

    def setter(self, value) -> None:
        self.set_field(value, private, dtype=dtype)

    def deleter(self) -> None:
        delattr(self, private)

    return property(getter, setter, deleter, doc)


def _pixel_data_field(name: str, doc: str) -> property:
    """A typed :class:`PixelData` field (see :func:`_typed_field`)."""
    return _typed_field(name, PixelData, doc)


class TextSegDataSample(BaseDataElement):
    """A text segmentation sample: ground-truth masks and predictions.

    A sample may carry a pixel-level mask (stroke pixels), a polygon-level
    mask (filled word polygons), both or neither; the metainfo flags say
    which ground truth is real, so semi-supervised methods (MGNet) can
    switch their losses per sample.

    Meta information: ``has_pixel_mask`` and ``has_polygon_mask`` (bool),
    and the usual ``img_path``, ``ori_shape``, ``img_shape``,
    ``scale_factor``, ``pad_shape``.

    Examples:
        >>> import torch
        >>> from mmengine.structures import PixelData
        >>> sample = TextSegDataSample(metainfo=dict(has_pixel_mask=True))
        >>> sample.gt_pixel_mask = PixelData(
        ...     data=torch.zeros(1, 4, 6, dtype=torch.uint8))
        >>> sample.gt_pixel_mask.shape
        (4, 6)
    """

    gt_pixel_mask = _pixel_data_field(
        'gt_pixel_mask', 'Pixel-level text mask: ``data`` is a 1xHxW uint8 '
        'tensor (0 background, 1 text, 255 ignore).')
    gt_polygon_mask = _pixel_data_field(
        'gt_polygon_mask', 'Polygon-level text mask (filled word polygons), '
        'as ``gt_pixel_mask``.')
    gt_instances = _typed_field(
        'gt_instances', InstanceData, 'Word instances after the geometric '
        'transforms: ``bboxes`` (Nx4 float, x1 y1 x2 y2 in input pixels) and '
        '``ignored`` (N bool, unreadable words). Used by methods that read '
        'the words (ARM-Net\'s REM).')
    pred_pixel_mask = _pixel_data_field(
        'pred_pixel_mask', 'Predicted pixel-level mask at the original image '
        'size: ``data`` binary (uint8, 1xHxW), ``prob`` text probability '
        '(float, 1xHxW).')
    pred_polygon_mask = _pixel_data_field(
        'pred_polygon_mask', 'Predicted polygon-level mask, as '
        '``pred_pixel_mask``, for methods that predict it.')
