# Copyright (c) mmtextknow contributors. All rights reserved.
"""Write rendered samples as an MMOCR 1.x text detection dataset.

A split is written as ``imgs/{split}/{i:05d}.jpg``,
``masks/pixel/{split}/{i:05d}.png``, ``masks/polygon/{split}/{i:05d}.png``,
``backgrounds/{split}/{i:05d}.jpg`` (the clean background: the image
without its words) and an ``OCRDataset`` (TextDetDataset) annotation file
``textdet_{split}.json``, all paths relative to the dataset root. The same
options always give byte-identical files.

The background is encoded like the image (JPEG, quality 95), so that the
two decode to the same pixels outside the 16x16 JPEG blocks the words
touch (and one pixel around them, the chroma up-sampling's reach): a text
removal that leaves the rest of the image alone is scored on the words
only, not on the compression error of the whole image.

Example::

    >>> from mmtextknow.datasets.generators import generate_dataset
    >>> generate_dataset('data/toy_scenetext', {'train': 96, 'test': 24})
    {'train': 'data/toy_scenetext/textdet_train.json', ...}
"""
import os
import os.path as osp
from typing import Dict, Optional, Tuple

import numpy as np
import PIL
from PIL import Image

from mmtextknow.datasets.ocr_json import dump_ocr_json, textdet_instance
from .config import SceneTextGeneratorConfig, check_non_negative_int
from .scene_text import SceneTextGenerator, SceneTextSample

#: JPEG quality of the images and of their clean backgrounds.
JPEG_QUALITY = 95


def generate_dataset(out_dir: str,
                     num_images: Dict[str, int],
                     cfg: Optional[SceneTextGeneratorConfig] = None,
                     progress: bool = True) -> Dict[str, str]:
    """Generate a synthetic scene-text detection dataset.

    Writes ``imgs/{split}/{i:05d}.jpg``, ``masks/pixel/{split}/{i:05d}.png``,
    ``masks/polygon/{split}/{i:05d}.png``,
    ``backgrounds/{split}/{i:05d}.jpg`` and ``textdet_{split}.json``
    (MMOCR ``OCRDataset`` format, paths relative to ``out_dir``) under
    ``out_dir``. Existing files of the same names are overwritten; nothing
    else is touched.

    Args:
        out_dir (str): Dataset root.
        num_images (dict[str, int]): Number of images per split, e.g.
            ``{'train': 96, 'test': 24}``.
        cfg (SceneTextGeneratorConfig, optional): Options; defaults to
            ``SceneTextGeneratorConfig()``.
        progress (bool): Whether to show a progress bar. Defaults to True.

    Returns:
        dict[str, str]: ``split -> path of its annotation JSON``.
    """
    _check_num_images(num_images)
    generator = SceneTextGenerator(cfg)
    return {
        split: generate_split(generator, out_dir, split, num, progress)
        for split, num in num_images.items()
    }


def generate_split(generator: SceneTextGenerator,
                   out_dir: str,
                   split: str,
                   num_images: int,
                   progress: bool = False) -> str:
    """Render and write one split.

    Args:
        generator (SceneTextGenerator): The generator.
        out_dir (str): Dataset root.
        split (str): Split name.
        num_images (int): Number of images.
        progress (bool): Whether to show a progress bar.

    Returns:
        str: Path of the written ``textdet_{split}.json``.
    """
    for sub in _split_dirs(split):
        os.makedirs(osp.join(out_dir, sub), exist_ok=True)
    bar = _progress_bar(num_images) if progress else None
    data_list = []
    for index in range(num_images):
        sample = generator.render_index(split, index)
        data_list.append(save_sample(out_dir, split, index, sample))
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.file.write('\n')
    json_path = osp.join(out_dir, f'textdet_{split}.json')
    generator_info = dict(
        generator.cfg.to_dict(),
        split=split,
        num_images=num_images,
        pillow_version=PIL.__version__)
    dump_ocr_json(data_list, json_path, dict(generator=generator_info))
    return json_path


def save_sample(out_dir: str, split: str, index: int,
                sample: SceneTextSample) -> dict:
    """Write a sample's image, masks and background; build its data item.

    Args:
        out_dir (str): Dataset root.
        split (str): Split name.
        index (int): Image index.
        sample (SceneTextSample): The sample.

    Returns:
        dict: The ``data_list`` item, paths relative to ``out_dir``.
    """
    img_dir, pixel_dir, polygon_dir, background_dir = _split_dirs(split)
    img_path = f'{img_dir}/{index:05d}.jpg'
    pixel_path = f'{pixel_dir}/{index:05d}.png'
    polygon_path = f'{polygon_dir}/{index:05d}.png'
    background_path = f'{background_dir}/{index:05d}.jpg'
    _save_jpeg(sample.image, osp.join(out_dir, img_path))
    Image.fromarray(sample.pixel_mask).save(
        osp.join(out_dir, pixel_path), format='PNG')
    Image.fromarray(sample.polygon_mask).save(
        osp.join(out_dir, polygon_path), format='PNG')
    _save_jpeg(sample.background, osp.join(out_dir, background_path))
    h, w = sample.image.shape[:2]
    return dict(
        img_path=img_path,
        height=h,
        width=w,
        pixel_mask_path=pixel_path,
        polygon_mask_path=polygon_path,
        background_path=background_path,
        words=[word['text'] for word in sample.words],
        instances=[
            textdet_instance(word['polygon'], word['text'],
                             shape=word['shape']) for word in sample.words
        ])


def _save_jpeg(image: np.ndarray, path: str) -> None:
    """Write an RGB image as JPEG, quality :data:`JPEG_QUALITY`."""
    Image.fromarray(image).save(path, format='JPEG', quality=JPEG_QUALITY)


def _split_dirs(split: str) -> Tuple[str, str, str, str]:
    """Image, pixel-mask, polygon-mask and background folders of a split."""
    return (f'imgs/{split}', f'masks/pixel/{split}',
            f'masks/polygon/{split}', f'backgrounds/{split}')


def _progress_bar(num: int):
    """An mmengine progress bar."""
    from mmengine.utils import ProgressBar
    return ProgressBar(num)


def _check_num_images(num_images: Dict[str, int]) -> None:
    """Check the ``split -> number of images`` mapping."""
    if not isinstance(num_images, dict) or not num_images:
        raise ValueError('num_images must be a non-empty dict of split -> '
                         f'number of images, got {num_images!r}')
    for split, num in num_images.items():
        if not isinstance(split, str) or not split or \
                split != osp.basename(split) or split in ('.', '..') or \
                not split.isprintable():
            raise ValueError(f'invalid split name {split!r}')
        check_non_negative_int(num, f'num_images[{split!r}]')
