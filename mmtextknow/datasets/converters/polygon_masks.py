# Copyright (c) mmtextknow contributors. All rights reserved.
"""Polygon-level masks that keep "don't care" words apart.

The converters of COCO-Text / COCO-TS, MLT-S and TotalText write their
polygon masks with this module: the file values of
:mod:`mmtextknow.datasets.mask_values`, i.e. :data:`FILE_TEXT` (255)
inside the cared word polygons, :data:`FILE_IGNORE` (127) inside the
ignored ones (COCO-Text ``illegible``, MLT / ICDAR ``###``, TotalText
``#``) and :data:`FILE_BACKGROUND` (0) elsewhere. Where a cared and an
ignored polygon overlap the pixel is text: the cared word is known to be
there. ``fill_ignored=True`` fills the ignored words as text instead.

The mask is written while the source builds its sample (its path goes to
the item through ``SegSample.extra``), so the converter runs
:func:`~mmtextknow.datasets.converters.textseg.convert_samples` with
``polygon_masks=False``; a source must therefore raise every
:class:`~mmtextknow.datasets.converters.textseg.SkipSample` of the image
(image, pixel mask) before it calls :meth:`PolygonMaskWriter.write`.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Sequence, Tuple

import numpy as np
from PIL import Image

from mmtextknow.datasets.generators.masks import rasterize_polygons
from mmtextknow.datasets.mask_values import (FILE_BACKGROUND, FILE_IGNORE,
                                             FILE_TEXT)
from .textseg import TextSegReport


def render_polygon_mask(instances: Sequence[dict],
                        img_hw: Tuple[int, int],
                        fill_ignored: bool = False) -> np.ndarray:
    """Fill the word polygons of an image, ignored words as 127.

    Args:
        instances (Sequence[dict]): MMOCR instances with ``polygon`` and
            ``ignore``.
        img_hw (tuple[int, int]): Mask size ``(h, w)``.
        fill_ignored (bool): Fill ignored words as text (255) instead of
            :data:`FILE_IGNORE`. Defaults to False.

    Returns:
        np.ndarray: uint8 mask of shape ``img_hw`` with values 0, 127, 255.
    """
    cared = [
        i['polygon'] for i in instances if fill_ignored or not i['ignore']
    ]
    ignored = [
        i['polygon'] for i in instances if i['ignore'] and not fill_ignored
    ]
    mask = np.full(img_hw, FILE_BACKGROUND, dtype=np.uint8)
    mask[rasterize_polygons(ignored, img_hw) > 0] = FILE_IGNORE
    mask[rasterize_polygons(cared, img_hw) > 0] = FILE_TEXT
    return mask


@dataclass
class PolygonMaskWriter:
    """Writes ``masks/polygon/{split}/{name}.png`` for a converter.

    Attributes:
        out_root (Path): Dataset root.
        split (str): Split name.
        enabled (bool): Write masks at all. Defaults to True.
        fill_ignored (bool): See :func:`render_polygon_mask`.
            Defaults to False.
    """
    out_root: Path
    split: str
    enabled: bool = True
    fill_ignored: bool = False

    def write(self, name: str, instances: Sequence[dict],
              img_hw: Tuple[int, int], report: TextSegReport) -> Dict:
        """Write the mask of one image (if it has words).

        Args:
            name (str): The sample name (unique in the split).
            instances (Sequence[dict]): Its checked instances.
            img_hw (tuple[int, int]): The image's ``(h, w)``.
            report (TextSegReport): ``num_polygon_masks`` is counted.

        Returns:
            dict: ``{'polygon_mask_path': rel}`` (the keys for
            ``SegSample.extra``); empty when disabled or without words.
        """
        if not self.enabled or not instances:
            return {}
        rel = f'masks/polygon/{self.split}/{name}.png'
        path = Path(self.out_root) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(
            render_polygon_mask(instances, img_hw, self.fill_ignored)).save(
                path, format='PNG')
        report.num_polygon_masks += 1
        return {'polygon_mask_path': rel}


__all__ = ['PolygonMaskWriter', 'render_polygon_mask']
