# Copyright (c) mmtextknow contributors. All rights reserved.
"""Visualiser of text segmentation masks (ground truth | prediction)."""
from typing import Any, Dict, List, Optional, Tuple, Union

import cv2
import mmcv
import numpy as np
import torch
from mmengine.visualization.utils import color_str2rgb
from mmocr.registry import VISUALIZERS
from mmocr.visualization import BaseLocalVisualizer

from mmtextknow.datasets.mask_values import IGNORE_INDEX

ColorType = Union[str, Tuple[int, int, int]]


def _rgb(color: ColorType) -> np.ndarray:
    """An RGB colour (0-255) from a matplotlib name or an RGB tuple."""
    if isinstance(color, str):
        color = color_str2rgb(color)
    return np.asarray(color, dtype=np.float32)


def overlay_mask(image: np.ndarray,
                 mask: np.ndarray,
                 color: ColorType,
                 alpha: float = 0.5) -> np.ndarray:
    """Blend ``color`` into ``image`` where ``mask`` is true.

    Args:
        image (np.ndarray): HxWx3 uint8 RGB image.
        mask (np.ndarray): HxW boolean mask.
        color (str or tuple): Colour name or RGB tuple.
        alpha (float): Opacity of the colour (1 paints it opaque).

    Returns:
        np.ndarray: A new HxWx3 uint8 image.
    """
    blended = (1 - alpha) * image + alpha * _rgb(color)
    return np.where(mask[..., None], blended.round(),
                    image).astype(np.uint8)


def mask_outline(mask: np.ndarray, width: int = 1) -> np.ndarray:
    """The inner boundary of ``mask``, ``width`` pixels thick.

    Args:
        mask (np.ndarray): HxW boolean mask.
        width (int): Thickness of the outline in pixels.

    Returns:
        np.ndarray: HxW boolean outline (the image border counts as
        outside, so a region touching it is closed there too).
    """
    mask = mask.astype(np.uint8)
    eroded = cv2.erode(
        mask,
        np.ones((3, 3), np.uint8),
        iterations=max(int(width), 1),
        borderType=cv2.BORDER_CONSTANT,
        borderValue=0)
    return (mask > 0) & (eroded == 0)


@VISUALIZERS.register_module()
class TextSegLocalVisualizer(BaseLocalVisualizer):
    """Local visualiser of pixel-level text segmentation.

    Draws, like MMOCR's ``TextDetLocalVisualizer``, the ground truth on the
    left and the prediction on the right of a stitched image: the
    pixel-level mask as a translucent colour fill and the polygon-level
    mask as an outline (or a fill, ``polygon_outline=False``) in a second
    colour. A ground-truth mask whose ``has_*_mask`` flag is false (an
    all-zero placeholder) is not drawn. A panel is left out when the sample
    has no mask of its kind. Works with MMOCR's ``VisualizationHook``.

    Args:
        name (str): Name of the instance. Defaults to 'visualizer'.
        image (np.ndarray, optional): The image to draw (RGB). Defaults to
            None.
        vis_backends (list, optional): Visual backend configs. Defaults to
            None.
        save_dir (str, optional): Save directory of the storage backends.
            Defaults to None.
        gt_pixel_color (str or tuple): Colour of the ground-truth pixel
            mask. Defaults to green.
        gt_polygon_color (str or tuple): Colour of the ground-truth polygon
            mask. Defaults to blue.
        pred_pixel_color (str or tuple): Colour of the predicted pixel
            mask. Defaults to red.
        pred_polygon_color (str or tuple): Colour of the predicted polygon
            mask. Defaults to yellow.
        polygon_outline (bool): Draw polygon masks as outlines rather than
            fills. Defaults to True.
        line_width (int): Outline thickness in pixels. Defaults to 2.
        alpha (float): Opacity of the mask fills. Defaults to 0.5.
    """

    def __init__(self,
                 name: str = 'visualizer',
                 image: Optional[np.ndarray] = None,
                 vis_backends: Optional[List[Dict]] = None,
                 save_dir: Optional[str] = None,
                 gt_pixel_color: ColorType = (0, 255, 0),
                 gt_polygon_color: ColorType = (0, 0, 255),
                 pred_pixel_color: ColorType = (255, 0, 0),
                 pred_polygon_color: ColorType = (255, 255, 0),
                 polygon_outline: bool = True,
                 line_width: int = 2,
                 alpha: float = 0.5) -> None:
        super().__init__(
            name=name,
            image=image,
            vis_backends=vis_backends,
            save_dir=save_dir)
        self.gt_pixel_color = gt_pixel_color
        self.gt_polygon_color = gt_polygon_color
        self.pred_pixel_color = pred_pixel_color
        self.pred_polygon_color = pred_polygon_color
        self.polygon_outline = polygon_outline
        self.line_width = line_width
        self.alpha = alpha

    def _get_mask(self,
                  data_sample: Any,
                  key: str,
                  shape: Tuple[int, int],
                  score_thr: float = 0.5) -> Optional[np.ndarray]:
        """The mask ``key`` of ``data_sample`` as an HxW bool array.

        Returns None when the field is absent, or is ground truth whose
        ``has_*_mask`` flag is false. A prediction without binary ``data``
        falls back to ``prob > score_thr``. Don't-care pixels
        (:data:`IGNORE_INDEX`) are not drawn as text. A mask of another size
        than the image is resized (nearest neighbour).
        """
        field = data_sample.get(key)
        if field is None:
            return None
        if key.startswith('gt_'):
            flag = 'has_' + key[3:]
            if not data_sample.get(flag, True):
                return None
        data = field.get('data')
        if data is None and field.get('prob') is not None:
            data = torch.as_tensor(field.get('prob')) > score_thr
        if data is None:
            return None
        mask = torch.as_tensor(data).detach().cpu().numpy()
        mask = mask.reshape(mask.shape[-2:]).astype(np.uint8)
        if mask.shape != shape:
            mask = cv2.resize(
                mask, (shape[1], shape[0]),
                interpolation=cv2.INTER_NEAREST_EXACT)
        return (mask > 0) & (mask != IGNORE_INDEX)

    def _draw_masks(self, image: np.ndarray, pixel_mask: Optional[np.ndarray],
                    polygon_mask: Optional[np.ndarray], pixel_color: ColorType,
                    polygon_color: ColorType) -> np.ndarray:
        """Draw the polygon mask, then the pixel mask over it.

        Args:
            image (np.ndarray): HxWx3 uint8 RGB image (not modified).
            pixel_mask (np.ndarray, optional): HxW bool pixel-level mask.
            polygon_mask (np.ndarray, optional): HxW bool polygon mask.
            pixel_color (str or tuple): Colour of the pixel mask.
            polygon_color (str or tuple): Colour of the polygon mask.

        Returns:
            np.ndarray: The drawn image.
        """
        if polygon_mask is not None:
            if self.polygon_outline:
                image = overlay_mask(image,
                                     mask_outline(polygon_mask,
                                                  self.line_width),
                                     polygon_color, 1.)
            else:
                image = overlay_mask(image, polygon_mask, polygon_color,
                                     self.alpha)
        if pixel_mask is not None:
            image = overlay_mask(image, pixel_mask, pixel_color, self.alpha)
        return image

    def _draw_panel(self, image: np.ndarray, data_sample: Any, prefix: str,
                    score_thr: float) -> Optional[np.ndarray]:
        """The ``gt`` or ``pred`` panel, None when the sample has neither
        mask of that kind."""
        keys = (f'{prefix}_pixel_mask', f'{prefix}_polygon_mask')
        if not any(key in data_sample for key in keys):
            return None
        shape = image.shape[:2]
        pixel, polygon = (
            self._get_mask(data_sample, key, shape, score_thr)
            for key in keys)
        return self._draw_masks(image, pixel, polygon,
                                getattr(self, f'{prefix}_pixel_color'),
                                getattr(self, f'{prefix}_polygon_color'))

    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample: Optional[Any] = None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: int = 0,
                       out_file: Optional[str] = None,
                       pred_score_thr: float = 0.5,
                       step: int = 0) -> np.ndarray:
        """Draw a data sample and save it to all backends.

        - With both ground truth and prediction drawn, the result is the
          stitched image ``gt | pred`` (twice the image width).
        - If ``show`` is True, the storage backends are ignored and the
          image is displayed in a local window.
        - If ``out_file`` is given, the drawn image is also written there.

        Args:
            name (str): The image identifier.
            image (np.ndarray): The image to draw (HxWx3 RGB, or HxW).
            data_sample (:obj:`TextSegDataSample`, optional): The sample
                with ground truth and/or predictions. Defaults to None.
            draw_gt (bool): Whether to draw the ground truth. Defaults to
                True.
            draw_pred (bool): Whether to draw the prediction. Defaults to
                True.
            show (bool): Whether to display the drawn image. Defaults to
                False.
            wait_time (float): The interval of show (s). Defaults to 0.
            out_file (str, optional): Path to write the drawn image to.
                Defaults to None.
            pred_score_thr (float): Threshold on ``prob`` used only for a
                prediction without a binary ``data`` mask. Defaults to 0.5.
            step (int): Global step value to record. Defaults to 0.

        Returns:
            np.ndarray: The drawn RGB image.
        """
        if image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=2)
        panels = []
        if data_sample is not None:
            for prefix, wanted in (('gt', draw_gt), ('pred', draw_pred)):
                if wanted:
                    panels.append(
                        self._draw_panel(image, data_sample, prefix,
                                         pred_score_thr))
        drawn = self._cat_image(panels, axis=1)
        if drawn is None:
            drawn = image
        if show:
            self.show(drawn, win_name=name, wait_time=wait_time)
        else:
            self.add_image(name, drawn, step)
        if out_file is not None:
            mmcv.imwrite(drawn[..., ::-1], out_file)
        self.set_image(drawn)
        return self.get_image()
