# Copyright (c) mmtextknow contributors. All rights reserved.
"""A trained model and its preprocessed inputs for the visualisation tools.

Shared by ``tools/visualizations/encoder_heatmap.py`` and
``tools/visualizations/tcm_score_map.py`` (their shared command line is in
``tools/visualizations/overlay_cli.py``): the image files of an input path
(a file or a folder), the config's test pipeline without its loading and
annotation steps (so images without annotations work), reading images with
a clear error (a single file) or skipping and counting them (a folder),
building the model from its config and checkpoint, and one image through
the pipeline and the model's data preprocessor.
"""
import os
import os.path as osp
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import mmcv
import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmocr.registry import MODELS
from mmocr.utils import register_all_modules

from mmtextknow.utils import DataError

IMG_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
# Pipeline steps that need annotations (besides every ``Load*`` step; the
# image itself is loaded by :func:`load_image`).
ANNOTATION_STEPS = ('GenerateOTSGSequence', )


def check_files(config: str, checkpoint: str) -> None:
    """``FileNotFoundError`` naming the config or checkpoint if missing."""
    for path, what in ((config, 'config'), (checkpoint, 'checkpoint')):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path}: {what} not found')


def load_config(config: str, cfg_options: Optional[Dict] = None) -> Config:
    """The config at ``config`` with ``--cfg-options`` merged in."""
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def list_images(inputs: str) -> Tuple[List[str], bool]:
    """The image files to process and whether ``inputs`` is a folder."""
    if osp.isdir(inputs):
        files = sorted(
            osp.join(inputs, name) for name in os.listdir(inputs)
            if name.lower().endswith(IMG_EXTS)
            and osp.isfile(osp.join(inputs, name)))
        if not files:
            raise FileNotFoundError(f'{inputs}: no image file in the folder '
                                    f'(extensions {", ".join(IMG_EXTS)})')
        return files, True
    if not osp.isfile(inputs):
        raise FileNotFoundError(f'{inputs}: input not found')
    return [inputs], False


def _type_name(step: Dict) -> str:
    """A pipeline step's type without its registry scope."""
    step_type = step.get('type', '')
    if not isinstance(step_type, str):
        step_type = getattr(step_type, '__name__', str(step_type))
    return step_type.split('.')[-1]


def inference_pipeline_steps(cfg: Config) -> Tuple[List[Dict], str]:
    """The config's test pipeline without loading / annotation steps.

    Returns:
        tuple[list[dict], str]: The remaining steps and the colour type of
        the config's image loading step (``'color'`` if none).
    """
    pipeline = None
    dataset = cfg.get('test_dataloader', {}).get('dataset')
    while dataset is not None and pipeline is None:
        pipeline = dataset.get('pipeline')
        parts = dataset.get('datasets') or [dataset.get('dataset')]
        dataset = parts[0] if parts and parts[0] is not None else None
    if pipeline is None:
        pipeline = cfg.get('test_pipeline')
    if not pipeline:
        raise ValueError('the config has no test pipeline (test_dataloader.'
                         'dataset.pipeline or test_pipeline)')
    color_type, steps = 'color', []
    for step in pipeline:
        name = _type_name(step)
        if name.startswith('LoadImage'):
            color_type = step.get('color_type', color_type)
        elif name.startswith('Load') or name in ANNOTATION_STEPS:
            continue
        else:
            steps.append(step)
    return steps, color_type


def load_image(path: str, color_type: str) -> np.ndarray:
    """Read an image (BGR); :class:`DataError` naming it if unreadable."""
    try:
        img = mmcv.imread(path, flag=color_type)
    except Exception as e:  # noqa: BLE001 (any decoder failure)
        raise DataError(f'{path}: unreadable image ({e})') from e
    if img is None or img.size == 0:
        raise DataError(f'{path}: unreadable image')
    return img


class ImageSource:
    """The images of :func:`list_images`, read as BGR arrays.

    A single image is read at construction, so an unreadable one fails
    (:class:`DataError` naming it) before any model is built. In a folder,
    unreadable images are reported (``skipped: ...``), skipped while
    iterating and counted in :attr:`skipped`.

    Args:
        paths (list[str]): Image files.
        is_dir (bool): Whether they come from a folder.
        color_type (str): ``mmcv.imread`` flag (the config's loading step).
    """

    def __init__(self, paths: Sequence[str], is_dir: bool,
                 color_type: str = 'color') -> None:
        self.paths = list(paths)
        self.is_dir = is_dir
        self.color_type = color_type
        self.skipped = 0
        self._loaded = {} if is_dir else {
            path: load_image(path, color_type)
            for path in self.paths
        }

    def __iter__(self) -> Iterator[Tuple[str, np.ndarray]]:
        self.skipped = 0
        for path in self.paths:
            img = self._loaded.pop(path, None)
            if img is None:
                try:
                    img = load_image(path, self.color_type)
                except DataError as e:
                    if not self.is_dir:
                        raise
                    print(f'skipped: {e}')
                    self.skipped += 1
                    continue
            yield path, img

    def summary(self, out_dir: str) -> str:
        """The folder's last line: images written and skipped."""
        return (f'{len(self.paths) - self.skipped} images written to '
                f'{out_dir}, {self.skipped} unreadable skipped')


def build_model(cfg: Config, checkpoint: str,
                device: str = 'cpu') -> torch.nn.Module:
    """The config's model with the checkpoint's weights, in eval mode."""
    register_all_modules(init_default_scope=True)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    model = MODELS.build(cfg.model)
    load_checkpoint(model, checkpoint, map_location='cpu')
    return model.to(device).eval()


def preprocess_image(model: torch.nn.Module, pipeline: Compose, path: str,
                     img: np.ndarray
                     ) -> Tuple[torch.Tensor, Tuple[int, int]]:
    """One image through the pipeline and the model's data preprocessor.

    Returns:
        tuple[Tensor, tuple[int, int]]: The ``1 x C x H x W`` model input
        (padded by the preprocessor) and the height and width of the image
        in it (before the padding).
    """
    ori_hw = img.shape[:2]
    data = pipeline(
        dict(img=img, img_path=path, ori_shape=ori_hw, img_shape=ori_hw))
    valid_hw = tuple(data['inputs'].shape[-2:])
    batch = model.data_preprocessor(
        dict(inputs=[data['inputs']], data_samples=[data['data_samples']]),
        False)
    return batch['inputs'], valid_hw


def valid_feature_size(feat_hw: Sequence[int], valid_hw: Sequence[int],
                       input_hw: Sequence[int]) -> Tuple[int, int]:
    """Height and width of the part of a feature map over the image (not
    over the padding), for an input of ``input_hw`` whose top-left
    ``valid_hw`` is the image."""
    h = max(1, int(np.ceil(feat_hw[0] * valid_hw[0] / input_hw[0])))
    w = max(1, int(np.ceil(feat_hw[1] * valid_hw[1] / input_hw[1])))
    return min(h, int(feat_hw[0])), min(w, int(feat_hw[1]))
