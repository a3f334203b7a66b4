# Copyright (c) mmtextknow contributors. All rights reserved.
"""The images, clean backgrounds and text masks text removal is scored on.

A dataset written by mmtextknow's generator
(``tools/dataset_converters/generate_toy_data.py``) names per image its
clean background (``background_path``), its glyph-pixel mask
(``pixel_mask_path``) and its word polygons (``instances``). The masks fed
to the inpainter come from one of :data:`MASK_SOURCES`:

- ``'pred'``: a text segmentation model's pixel mask
  (:func:`predict_text_masks`, any mmtextknow ``textseg`` config and
  checkpoint, through :class:`mmtextknow.apis.TextSegInferencer`);
- ``'gt'``: the ground-truth glyph pixels;
- ``'polygon'``: the ground-truth word polygons, filled
  (:func:`polygon_mask`).
"""
import json
import os.path as osp
from dataclasses import dataclass
from typing import List, Optional, Sequence

import cv2
import numpy as np

from mmtextknow.datasets.generators import rasterize_polygons
from mmtextknow.utils import DataError

#: The mask sources (see the module docstring and :func:`mask_of`).
MASK_SOURCES = ('pred', 'gt', 'polygon')

#: Keys an annotation item must have to be scored.
REQUIRED_KEYS = ('img_path', 'background_path', 'pixel_mask_path',
                 'instances')


@dataclass
class GeneratedRemovalItem:
    """One image to remove text from, with its ground truth.

    Attributes:
        img_path (str): The image file.
        image (np.ndarray): The image, (H, W, 3) uint8 BGR.
        background (np.ndarray): The clean background, (H, W, 3) uint8 BGR.
        gt_text_mask (np.ndarray): (H, W) bool, the glyph pixels.
        gt_word_mask (np.ndarray): (H, W) bool, inside the word polygons.
    """
    img_path: str
    image: np.ndarray
    background: np.ndarray
    gt_text_mask: np.ndarray
    gt_word_mask: np.ndarray


def polygon_mask(instances: Sequence[dict], size_hw) -> np.ndarray:
    """The word polygons of ``instances``, filled, as an (H, W) bool mask.

    Args:
        instances (Sequence[dict]): OCRDataset instances with ``polygon``.
        size_hw (tuple[int, int]): The image size ``(H, W)``.

    Returns:
        np.ndarray: True inside any polygon.
    """
    return rasterize_polygons([ins['polygon'] for ins in instances],
                              tuple(size_hw)) > 0


def _read(path: str, flags: int, what: str) -> np.ndarray:
    """Read an image file; a missing or unreadable file is a DataError."""
    if not osp.isfile(path):
        raise DataError(f'{path}: {what} not found')
    image = cv2.imread(path, flags)
    if image is None:
        raise DataError(f'{path}: cannot be read as an image ({what})')
    return image


def load_removal_items(data_root: str,
                       ann_file: str,
                       max_images: Optional[int] = None
                       ) -> List[GeneratedRemovalItem]:
    """Load the images, backgrounds and ground-truth masks of a dataset.

    Args:
        data_root (str): The dataset root; paths in the annotation file are
            relative to it.
        ann_file (str): The annotation file, relative to ``data_root``.
        max_images (int, optional): Only the first ``max_images`` items.

    Returns:
        list[GeneratedRemovalItem]: One item per image, in file order.

    Raises:
        DataError: On a missing or unreadable file, an item without a
            clean background (or another required key) or sizes that
            disagree.
    """
    json_path = osp.join(data_root, ann_file)
    if not osp.isfile(json_path):
        raise DataError(f'{json_path}: annotation file not found')
    try:
        with open(json_path, encoding='utf-8') as f:
            data_list = json.load(f)['data_list']
    except (ValueError, KeyError, TypeError) as e:
        raise DataError(f'{json_path}: not an OCRDataset annotation file '
                        f'({e!r})') from e
    if max_images is not None:
        data_list = data_list[:max_images]
    items = []
    for index, info in enumerate(data_list):
        missing = [key for key in REQUIRED_KEYS if key not in info]
        if missing:
            raise DataError(
                f'{json_path}: item {index} has no {", ".join(missing)} '
                '(text removal needs data written by tools/dataset_converters'
                '/generate_toy_data.py, which writes the clean backgrounds)')
        img_path = osp.join(data_root, info['img_path'])
        image = _read(img_path, cv2.IMREAD_COLOR, 'image')
        background_path = osp.join(data_root, info['background_path'])
        background = _read(background_path, cv2.IMREAD_COLOR, 'background')
        pixel_path = osp.join(data_root, info['pixel_mask_path'])
        text = _read(pixel_path, cv2.IMREAD_GRAYSCALE, 'pixel mask') > 0
        for path, array in ((background_path, background),
                            (pixel_path, text)):
            if array.shape[:2] != image.shape[:2]:
                raise DataError(f'{path}: size {array.shape[:2]} differs '
                                f'from the image {img_path} '
                                f'{image.shape[:2]}')
        items.append(
            GeneratedRemovalItem(
                img_path=img_path,
                image=image,
                background=background,
                gt_text_mask=text,
                gt_word_mask=polygon_mask(info['instances'],
                                          image.shape[:2])))
    return items


def predict_text_masks(img_paths: Sequence[str],
                       config: str,
                       weights: Optional[str] = None,
                       device: Optional[str] = None,
                       batch_size: int = 4) -> List[np.ndarray]:
    """Pixel-level text masks predicted by a text segmentation model.

    Args:
        img_paths (Sequence[str]): The image files.
        config (str): A ``textseg`` config (e.g.
            ``configs/textseg/fcn/fcn_resnet18_8e_toy.py``).
        weights (str, optional): Its checkpoint; None keeps the random
            initialisation (with the inferencer's warning).
        device (str, optional): Device; None picks one.
        batch_size (int): Images per forward pass. Defaults to 4.

    Returns:
        list[np.ndarray]: (H, W) bool masks at the images' sizes.
    """
    from mmtextknow.apis import TextSegInferencer
    inferencer = TextSegInferencer(config, weights, device=device)
    predictions = inferencer(
        list(img_paths), batch_size=batch_size,
        progress_bar=False)['predictions']
    return [pred['pixel_mask'] > 0 for pred in predictions]


def mask_of(item: GeneratedRemovalItem, source: str,
            predicted: Optional[np.ndarray] = None) -> np.ndarray:
    """The (H, W) bool text mask of ``item`` from ``source``.

    Args:
        item (GeneratedRemovalItem): The image and its ground truth.
        source (str): One of :data:`MASK_SOURCES`.
        predicted (np.ndarray, optional): The predicted mask, needed for
            ``'pred'``.

    Returns:
        np.ndarray: The mask (not yet dilated).
    """
    if source == 'gt':
        return item.gt_text_mask
    if source == 'polygon':
        return item.gt_word_mask
    if source == 'pred':
        if predicted is None:
            raise ValueError("source 'pred' needs the predicted mask")
        return np.asarray(predicted) != 0
    raise ValueError(f'unknown mask source {source!r}; choose one of '
                     f'{list(MASK_SOURCES)}')
