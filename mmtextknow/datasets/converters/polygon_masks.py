# Copyright (c) mmtextknow contributors. All rights reserved.
"""Polygon-level masks that keep "don't care" words apart.

The converters of COCO-Text / COCO-TS, MLT-S and TotalText write their
polygon masks with this module (:func:`~.textseg.polygon_mask`): the file
values of
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

from PIL import Image

from .textseg import TextSegReport, polygon_mask


@dataclass
class PolygonMaskWriter:
    """Writes ``masks/polygon/{split}/{name}.png`` for a converter.

    Attributes:
        out_root (Path): Dataset root.
        split (str): Split name.
        enabled (bool): Write masks at all. Defaults to True.
        fill_ignored (bool): See :func:`~.textseg.polygon_mask`.
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
            polygon_mask(instances, img_hw, self.fill_ignored)).save(
                path, format='PNG')
        report.num_polygon_masks += 1
        return {'polygon_mask_path': rel}


__all__ = ['PolygonMaskWriter']
