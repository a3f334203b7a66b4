"""Augmentations of the text segmentation task that keep masks aligned.

Each geometric transform subclasses its MMCV / MMOCR counterpart and applies
the same geometry to ``img``, to the mask keys listed in ``mask_keys`` (an
absent key is skipped) and, where MMOCR's version does, to ``gt_polygons`` /
``gt_bboxes``.

Masks hold labels (0 background, 1 text,
:data:`~mmtextknow.datasets.mask_values.IGNORE_INDEX` don't care), so they
are moved by a label-preserving nearest-neighbour lookup that uses the same
pixel-centre convention as the image's bilinear interpolation: a mask
pixel takes the label of the source pixel that contains its centre. For
resizing that is ``cv2.INTER_NEAREST_EXACT`` (:func:`resize_mask`);
``cv2.INTER_NEAREST`` instead reads ``floor(x * src / dst)``, which puts the
mask about half an output pixel down-right of the image's content. For
rotation ``cv2.warpAffine`` with ``INTER_NEAREST`` rounds the mapped
coordinate, the convention of its bilinear mode, so it is aligned as is.
Flips and crops move whole pixels. Every value, the ignore label included,
survives. Colour changes (saturation, hue,
brightness, contrast) need nothing new: MMOCR's
``TorchVisionWrapper(op='ColorJitter', ...)`` changes only ``img``.
"""
from typing import Callable, Optional, Sequence, Tuple, Union

import cv2
import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmocr.datasets.transforms import RandomFlip, RandomRotate
from mmocr.datasets.transforms import Resize as MMOCRResize
from mmocr.datasets.transforms import TextDetRandomCrop
from mmocr.registry import TRANSFORMS
from mmocr.utils import poly2bbox

from mmtextknow.datasets.mask_values import IGNORE_INDEX

#: Results keys of the masks the geometric transforms move with the image.
DEFAULT_MASK_KEYS: Tuple[str, ...] = ('gt_pixel_mask', 'gt_polygon_mask')


def resize_mask(mask: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """Resize a label mask so that it stays aligned with a resized image.

    Output pixel ``(x, y)`` takes the label of source pixel
    ``(floor((x + 0.5) * W / w), floor((y + 0.5) * H / h))``: the pixel
    whose area holds the output pixel's centre, the half-pixel-centre
    convention of cv2's and mmcv's bilinear resize (``cv2.INTER_NEAREST_
    EXACT``). Labels are copied, never mixed, so the ignore value survives.

    Args:
        mask (np.ndarray): HxW label mask (uint8).
        size (tuple[int, int]): Output ``(width, height)``.

    Returns:
        np.ndarray: The resized mask, ``height x width``, same dtype.
    """
    width, height = size
    if tuple(mask.shape[:2]) == (height, width):
        return mask
    return cv2.resize(
        mask, (width, height), interpolation=cv2.INTER_NEAREST_EXACT)


def apply_to_masks(results: dict, mask_keys: Sequence[str],
                   fn: Callable[[np.ndarray], np.ndarray]) -> None:
    """Replace each mask in ``results`` named in ``mask_keys`` by ``fn(mask)``.

    Args:
        results (dict): The results dict, modified in place.
        mask_keys (Sequence[str]): Keys of the masks; absent or None ones
            are skipped.
        fn (Callable): Maps an HxW mask to the transformed mask.
    """
    for key in mask_keys:
        if results.get(key) is not None:
            results[key] = np.ascontiguousarray(fn(results[key]))


class MaskKeysMixin:
    """Adds the ``mask_keys`` argument (and its repr) to a transform.

    Put it first among the bases: its ``__init__`` takes ``mask_keys`` and
    passes everything else on to the MMCV / MMOCR transform.

    Args:
        *args: Arguments of the transform.
        mask_keys (Sequence[str]): Keys of the masks the transform moves
            with the image. Defaults to :data:`DEFAULT_MASK_KEYS`.
        **kwargs: Keyword arguments of the transform.
    """

    def __init__(self,
                 *args,
                 mask_keys: Sequence[str] = DEFAULT_MASK_KEYS,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mask_keys = tuple(mask_keys)

    def __repr__(self) -> str:
        return f'{super().__repr__()[:-1]}, mask_keys={self.mask_keys})'


@TRANSFORMS.register_module()
class TextSegResize(MaskKeysMixin, MMOCRResize):
    """MMOCR's ``Resize`` that also resizes the text masks.

    The masks are resized to exactly the resized image's ``img_shape`` with
    :func:`resize_mask` (nearest-exact: aligned with the bilinearly resized
    image, labels and the ignore value kept), whatever ``backend`` the image
    uses.

    Required Keys:

    - img, img_shape
    - gt_bboxes, gt_polygons (optional)
    - the ``mask_keys`` (optional)

    Modified Keys:

    - img, img_shape
    - gt_bboxes, gt_polygons (optional)
    - the ``mask_keys`` (optional)

    Added Keys:

    - scale, scale_factor, keep_ratio

    Args:
        *args: Arguments of :class:`mmocr.datasets.transforms.Resize`
            (``scale``, ``scale_factor``, ``keep_ratio``, ...).
        mask_keys (Sequence[str]): Keys of the masks to resize. Defaults to
            :data:`DEFAULT_MASK_KEYS`.
        **kwargs: Keyword arguments of
            :class:`mmocr.datasets.transforms.Resize`.
    """

    def _resize_seg(self, results: dict) -> None:
        """Resize ``gt_seg_map`` as MMCV does and the text masks to
        ``img_shape``."""
        super()._resize_seg(results)
        height, width = results['img_shape'][:2]
        apply_to_masks(results, self.mask_keys,
                       lambda mask: resize_mask(mask, (width, height)))


@TRANSFORMS.register_module()
class TextSegRandomFlip(MaskKeysMixin, RandomFlip):
    """MMOCR's ``RandomFlip`` that also flips the text masks.

    Required Keys:

    - img
    - gt_bboxes, gt_polygons (optional)
    - the ``mask_keys`` (optional)

    Modified Keys:

    - img
    - gt_bboxes, gt_polygons (optional)
    - the ``mask_keys`` (optional)

    Added Keys:

    - flip, flip_direction

    Args:
        *args: Arguments of :class:`mmocr.datasets.transforms.RandomFlip`
            (``prob``, ``direction``).
        mask_keys (Sequence[str]): Keys of the masks to flip. Defaults to
            :data:`DEFAULT_MASK_KEYS`.
        **kwargs: Keyword arguments of
            :class:`mmocr.datasets.transforms.RandomFlip`.
    """

    def _flip(self, results: dict) -> None:
        """Flip the image, boxes, polygons and the text masks."""
        super()._flip(results)
        direction = results['flip_direction']
        apply_to_masks(results, self.mask_keys,
                       lambda mask: mmcv.imflip(mask, direction=direction))


@TRANSFORMS.register_module()
class TextSegRandomRotate(MaskKeysMixin, RandomRotate):
    """MMOCR's ``RandomRotate`` (its canvas path) that also rotates the masks.

    MMOCR's own transform rotates through imgaug when ``use_canvas=False``;
    here both settings use MMOCR's cv2 rotation about the image centre, so
    the masks can follow with the same matrix: with ``use_canvas=True`` the
    canvas grows to hold the whole rotated image, otherwise the image keeps
    its size and the corners are cut. Masks are warped with the image's
    matrix and ``INTER_NEAREST`` (which rounds the mapped coordinate, the
    pixel-centre convention of the image's bilinear warp, so the labels stay
    aligned and the ignore value survives), 0 (background) outside the
    source image; polygons and boxes are rotated by MMOCR's code and not
    clipped.

    ``pad_with_fixed_color`` defaults to True (unlike MMOCR): MMOCR's
    alternative fills the border with a random patch of the image, which may
    show text the masks mark as background.

    Required Keys:

    - img
    - gt_bboxes, gt_polygons (optional)
    - the ``mask_keys`` (optional)

    Modified Keys:

    - img, img_shape
    - gt_bboxes, gt_polygons (optional)
    - the ``mask_keys`` (optional)

    Added Keys:

    - rotated_angle

    Args:
        max_angle (int): The angle is drawn uniformly from
            ``[-max_angle, max_angle]`` degrees. Defaults to 10.
        pad_with_fixed_color (bool): Fill the image border with
            ``pad_value``. Defaults to True.
        pad_value (tuple[int, int, int]): The border colour. Defaults to
            (0, 0, 0).
        use_canvas (bool): Grow the canvas to hold the rotated image.
            Defaults to False.
        mask_keys (Sequence[str]): Keys of the masks to rotate. Defaults to
            :data:`DEFAULT_MASK_KEYS`.
    """

    def __init__(self,
                 max_angle: int = 10,
                 pad_with_fixed_color: bool = True,
                 pad_value: Tuple[int, int, int] = (0, 0, 0),
                 use_canvas: bool = False,
                 mask_keys: Sequence[str] = DEFAULT_MASK_KEYS) -> None:
        super().__init__(
            max_angle=max_angle,
            pad_with_fixed_color=pad_with_fixed_color,
            pad_value=pad_value,
            use_canvas=use_canvas,
            mask_keys=mask_keys)

    def _cal_canvas_size(self, ori_size: Tuple[int, int],
                         degree: float) -> Tuple[int, int]:
        """The rotated image's size: MMOCR's canvas, or the input size."""
        if self.use_canvas:
            return RandomRotate._cal_canvas_size(ori_size, degree)
        return tuple(ori_size[:2])

    def _rotate_masks(self, results: dict, ori_hw: Tuple[int, int],
                      center_shift: Tuple[int, int]) -> None:
        """Warp the masks with the matrix MMOCR used for the image."""
        height, width = ori_hw
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2),
                                         results['rotated_angle'], 1)
        matrix[:, 2] += center_shift
        out_h, out_w = results['img'].shape[:2]
        apply_to_masks(
            results, self.mask_keys, lambda mask: cv2.warpAffine(
                mask,
                matrix, (out_w, out_h),
                flags=cv2.INTER_NEAREST,
                borderMode=cv2.BORDER_CONSTANT,
                borderValue=0))

    def transform(self, results: dict) -> dict:
        """Rotate the image, boxes, polygons and masks by one random angle.

        Args:
            results (dict): The results dict.

        Returns:
            dict: The rotated results.
        """
        ori_hw = tuple(results['img'].shape[:2])
        # MMOCR's box/polygon code reads the pre-rotation size here.
        results['img_shape'] = ori_hw
        results['rotated_angle'] = self._sample_angle(self.max_angle)
        center_shift = self._rotate_img(results)
        self._rotate_bboxes(results, center_shift)
        self._rotate_polygons(results, center_shift)
        self._rotate_masks(results, ori_hw, center_shift)
        results['img_shape'] = tuple(results['img'].shape[:2])
        return results


@TRANSFORMS.register_module()
class TextSegRandomCrop(MaskKeysMixin, TextDetRandomCrop):
    """MMOCR's ``TextDetRandomCrop`` that also crops the text masks.

    A ``target_size`` region is cropped, overlapping text with probability
    ``positive_sample_ratio``; polygons crossing the border are clipped (as
    in MMOCR) and their boxes, labels, ignore flags and texts follow. Images
    without ``gt_polygons`` are cropped at random.

    MMOCR's offset sampler reads a flat polygon ``[x1, y1, x2, y2, ...]`` as
    ``reshape(2, -1)``, i.e. as if it were ``[ys..., xs...]``; this subclass
    hands it the polygons in that layout so that the positive crops really
    overlap the text.

    Required Keys:

    - img
    - gt_polygons, gt_bboxes_labels, gt_ignored, gt_texts (optional)
    - the ``mask_keys`` (optional)

    Modified Keys:

    - img, img_shape
    - gt_polygons, gt_bboxes, gt_bboxes_labels, gt_ignored, gt_texts
      (optional)
    - the ``mask_keys`` (optional)

    Args:
        target_size (tuple[int, int] | int): The crop's (width, height).
        positive_sample_ratio (float): Probability of a crop that overlaps
            text. Defaults to 5 / 8.
        mask_keys (Sequence[str]): Keys of the masks to crop. Defaults to
            :data:`DEFAULT_MASK_KEYS`.
    """

    def __init__(self,
                 target_size: Union[Tuple[int, int], int],
                 positive_sample_ratio: float = 5.0 / 8.0,
                 mask_keys: Sequence[str] = DEFAULT_MASK_KEYS) -> None:
        super().__init__(
            target_size=tuple(target_size) if isinstance(
                target_size, (list, tuple)) else target_size,
            positive_sample_ratio=positive_sample_ratio,
            mask_keys=mask_keys)

    def _sample_offset(self, gt_polygons: Optional[Sequence[np.ndarray]],
                       img_size: Tuple[int, int]) -> Tuple[int, int]:
        """MMOCR's sampler, fed with polygons laid out as ``[ys, xs]``."""
        if gt_polygons is not None:
            gt_polygons = [
                np.asarray(p).reshape(-1, 2)[:, ::-1].T.ravel()
                for p in gt_polygons
            ]
        return super()._sample_offset(gt_polygons, img_size)

    def _crop_instances(self, results: dict, crop_bbox: np.ndarray) -> None:
        """Clip the polygons to the crop and drop the instances outside."""
        polygons, kept = self._crop_polygons(results['gt_polygons'],
                                             crop_bbox)
        results['gt_polygons'] = polygons
        results['gt_bboxes'] = np.array(
            [poly2bbox(p) for p in polygons], dtype=np.float32).reshape(-1, 4)
        for key in ('gt_bboxes_labels', 'gt_ignored'):
            if key in results:
                results[key] = results[key][kept]
        if 'gt_texts' in results:
            results['gt_texts'] = [results['gt_texts'][i] for i in kept]

    def transform(self, results: dict) -> dict:
        """Crop the image, the masks and the instances.

        Args:
            results (dict): The results dict.

        Returns:
            dict: The cropped results.
        """
        img = results['img']
        if self.target_size == img.shape[:2][::-1]:
            return results
        offset = self._sample_offset(results.get('gt_polygons'),
                                     img.shape[:2])
        results['img'], crop_bbox = self._crop_img(img, offset,
                                                   self.target_size)
        results['img_shape'] = results['img'].shape[:2]
        apply_to_masks(
            results, self.mask_keys,
            lambda mask: self._crop_img(mask, offset, self.target_size)[0])
        if results.get('gt_polygons') is not None:
            self._crop_instances(results, crop_bbox)
        return results


@TRANSFORMS.register_module()
class RandomGaussianNoise(BaseTransform):
    """Add zero-mean Gaussian noise to the image (MGNet's "noise").

    Only ``img`` changes; values are clipped to [0, 255] and the dtype is
    kept.

    Required Keys:

    - img

    Modified Keys:

    - img

    Args:
        prob (float): Probability of adding noise. Defaults to 0.5.
        std (float | tuple[float, float]): The noise's standard deviation
            (in pixel values), or a range it is drawn from uniformly.
            Defaults to (0., 8.).
    """

    def __init__(self,
                 prob: float = 0.5,
                 std: Union[float, Tuple[float, float]] = (0., 8.)) -> None:
        if not 0. <= prob <= 1.:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        std_range = tuple(std) if isinstance(std, (list, tuple)) else (std,
                                                                       std)
        if len(std_range) != 2 or not 0. <= std_range[0] <= std_range[1]:
            raise ValueError(f'std must be >= 0 or a range (min, max), got '
                             f'{std}')
        self.prob = prob
        self.std = std_range

    @cache_randomness
    def _sample_std(self) -> Optional[float]:
        """The noise's std, or None when no noise is added."""
        if np.random.rand() >= self.prob:
            return None
        return float(np.random.uniform(*self.std))

    def transform(self, results: dict) -> dict:
        """Add noise to ``results['img']``.

        Args:
            results (dict): The results dict.

        Returns:
            dict: The results with a noisy image.
        """
        std = self._sample_std()
        if not std:
            return results
        img = results['img']
        noisy = img.astype(np.float32) + np.random.normal(
            0., std, img.shape).astype(np.float32)
        results['img'] = np.clip(noisy, 0, 255).astype(img.dtype)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(prob={self.prob}, std={self.std})'


@TRANSFORMS.register_module()
class RasterizePolygonMask(BaseTransform):
    """Fill the polygon-level mask from ``gt_polygons`` where it is missing.

    For images with word polygons but no polygon-mask file (most detection
    datasets), the polygons are filled with ``cv2.fillPoly`` into an
    ``img_shape`` mask and the flag is set, so semi-supervised methods get
    polygon-level ground truth: 1 inside the cared words,
    :data:`IGNORE_INDEX` inside the ignored ones (``gt_ignored``, e.g.
    ``###``) unless ``fill_ignored``, 0 elsewhere; where a cared and an
    ignored word overlap the pixel is text, as in the polygon masks the
    converters write (127 there). Images that already have a polygon mask
    (flag True), or have no polygon, are left unchanged. Run it after
    ``LoadOCRAnnotations`` and ``LoadTextMasks``; before or after the
    geometric transforms (polygons follow them).

    Required Keys:

    - img_shape
    - gt_polygons (optional: without it nothing happens)
    - gt_ignored (optional)
    - has_polygon_mask (optional)

    Modified / Added Keys:

    - gt_polygon_mask (np.uint8, HxW, 0 / 1 / 255 ignore)
    - has_polygon_mask (True)

    Args:
        fill_ignored (bool): Whether ignored instances (``gt_ignored``) are
            filled as text instead of ignore. Defaults to False.
        overwrite (bool): Rasterise even when a polygon mask was loaded.
            Defaults to False.
        mask_key (str): Results key of the mask. Defaults to
            'gt_polygon_mask'.
        flag_key (str): Results key of its flag. Defaults to
            'has_polygon_mask'.
    """

    def __init__(self,
                 fill_ignored: bool = False,
                 overwrite: bool = False,
                 mask_key: str = 'gt_polygon_mask',
                 flag_key: str = 'has_polygon_mask') -> None:
        self.fill_ignored = fill_ignored
        self.overwrite = overwrite
        self.mask_key = mask_key
        self.flag_key = flag_key

    def transform(self, results: dict) -> dict:
        """Rasterise the polygons into ``results[mask_key]``.

        Args:
            results (dict): The results dict.

        Returns:
            dict: The results with the polygon mask.
        """
        polygons = results.get('gt_polygons')
        if not polygons or (results.get(self.flag_key)
                            and not self.overwrite):
            return results
        ignored = results.get('gt_ignored')
        if ignored is None or self.fill_ignored:
            ignored = np.zeros(len(polygons), dtype=bool)
        contours = [
            np.round(np.asarray(poly).reshape(-1, 2)).astype(np.int32)
            for poly in polygons
        ]
        height, width = results['img_shape'][:2]
        mask = np.zeros((height, width), np.uint8)
        for value, want_ignored in ((IGNORE_INDEX, True), (1, False)):
            chosen = [c for c, ign in zip(contours, ignored)
                      if bool(ign) == want_ignored]
            if chosen:
                cv2.fillPoly(mask, chosen, value)
        results[self.mask_key] = mask
        results[self.flag_key] = True
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(fill_ignored={self.fill_ignored},'
                f' overwrite={self.overwrite}, mask_key={self.mask_key!r}, '
                f'flag_key={self.flag_key!r})')
