# Copyright (c) mmtextknow contributors. All rights reserved.
"""Label-map folders of COCO-TS / MLT-S, and converter progress.

COCO-TS and MLT-S (Bonechi et al., "COCO_TS Dataset: Pixel-level
Annotations Based on Weak Supervision for Scene Text Segmentation",
ICANN 2019, and "Weak Supervision for Generating Pixel-Level Annotations
in Scene Text Segmentation", arXiv:1911.09026) are released as PNG label maps
only, one per image, "saved as .png images with the same name as the
original images", values 0 background, 1 text, 255 uncertain (the
authors' download pages, SimoneBonechi/SimoneBonechi.github.io,
``_downloads_text/coco_ts.md`` and ``mlt_s.md``). The converters use a
label folder only to know WHICH images belong to the dataset and to check
that each label map has its image's size; see
:mod:`~mmtextknow.datasets.converters.coco_ts` and
:mod:`~mmtextknow.datasets.converters.mlt_s` for why the polygons come
from the detection ground truth.
"""
from pathlib import Path
from typing import Dict, Tuple

from PIL import Image

from .icdar_txt import _check_dir as check_dir
from .textseg import SkipSample


def find_label_maps(label_dir: Path) -> Dict[str, Path]:
    """The ``{stem}.png`` label maps of a folder (not recursive).

    Args:
        label_dir (Path): e.g. ``COCO_TS_labels`` or
            ``MLT_S_labels/training_labels``.

    Returns:
        dict[str, Path]: image stem -> label map, sorted by stem.

    Raises:
        FileNotFoundError: If ``label_dir`` is not a directory.
    """
    label_dir = check_dir(label_dir, 'label map directory')
    return {
        p.stem: p
        for p in sorted(label_dir.iterdir(), key=lambda p: p.name)
        if p.is_file() and p.suffix.lower() == '.png'
    }


def check_label_map(label: Path, img_path: Path, img_hw: Tuple[int,
                                                               int]) -> None:
    """Check that a label map opens and has its image's size.

    Only the PNG header is read (the label values are not used).

    Args:
        label (Path): The label map.
        img_path (Path): Its image, for the message.
        img_hw (tuple[int, int]): The image's ``(h, w)``.

    Raises:
        SkipSample: ``corrupt_pixel_mask`` or ``mask_size_mismatch``.
    """
    try:
        with Image.open(label) as img:
            width, height = img.size
    except Exception as e:  # noqa: BLE001 (Pillow raises many types)
        raise SkipSample(
            'corrupt_pixel_mask', f'{label}: cannot open label map '
            f'({type(e).__name__}: {e})') from None
    if (height, width) != tuple(img_hw):
        raise SkipSample(
            'mask_size_mismatch',
            f'{label}: label map size {width}x{height} differs from its '
            f'image {img_path} ({img_hw[1]}x{img_hw[0]})')


__all__ = ['check_label_map', 'find_label_maps']
