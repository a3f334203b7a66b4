"""The text attention map REM learns from: a frozen recognizer reads the
words, its per-step attention maps are summed and pasted back in place.

Paper (Sec. 3.4): text lines are cropped from the image and read by a
pre-trained, frozen attention-based recognizer (DAN) at ``M x 128 x 32``;
summing a line's per-step attention maps gives a text-line attention map,
which is put back at the line's position on an all-black background: the
text attention map of the whole image.

Our reading (not given in the paper):

- crops are the words' axis-aligned boxes (``gt_instances.bboxes``, after
  the geometric transforms), re-sampled to the crop size with mmcv's
  ``roi_align`` (bilinear, CPU and CUDA);
- each word's summed map is divided by its maximum (values in [0, 1], so
  that long and short words weigh the same), resized to the box and pasted
  with a per-pixel maximum where words overlap;
- ignored words (``###``) are not read; their boxes get weight 0 in REM's
  L1 loss instead of being called background (:func:`ignore_weight`).
"""
import math
import os.path as osp
import warnings
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmcv.ops import roi_align
from mmengine.config import Config
from mmengine.model import BaseDataPreprocessor
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmocr.registry import MODELS
from torch import Tensor, nn

from mmtextknow.structures import TextSegDataSample


def word_rois(data_samples: Sequence[TextSegDataSample],
              device: torch.device,
              ignored: bool = False) -> Tensor:
    """Word boxes of a batch as ``roi_align`` rois.

    Args:
        data_samples (list[TextSegDataSample]): The batch; samples without
            ``gt_instances`` have no words.
        device (torch.device): Device of the output.
        ignored (bool): Return the ignored words instead of the readable
            ones. Defaults to False.

    Returns:
        Tensor: ``M x 5`` float rois ``(batch index, x1, y1, x2, y2)`` in
        input pixels; boxes with no area are dropped.
    """
    rois = []
    for index, sample in enumerate(data_samples):
        if 'gt_instances' not in sample:
            continue
        boxes = sample.gt_instances.bboxes.to(device, torch.float32)
        keep = sample.gt_instances.ignored.to(device).bool()
        if not ignored:
            keep = ~keep
        keep &= (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])
        boxes = boxes[keep]
        rois.append(
            torch.cat([boxes.new_full((len(boxes), 1), index), boxes], 1))
    if not rois:
        return torch.zeros(0, 5, device=device)
    return torch.cat(rois)


def paste_word_maps(word_maps: Tensor, rois: Tensor, batch_size: int,
                    canvas_shape: Tuple[int, int],
                    spatial_scale: float) -> Tensor:
    """Paste per-word maps at their boxes on black canvases.

    Args:
        word_maps (Tensor): ``M x h x w`` maps, one per roi.
        rois (Tensor): ``M x 5`` rois ``(batch index, x1, y1, x2, y2)`` in
            input pixels.
        batch_size (int): Number of canvases.
        canvas_shape (tuple[int, int]): ``(H, W)`` of a canvas.
        spatial_scale (float): Canvas pixels per input pixel (1/4 for a
            stride-4 canvas).

    Returns:
        Tensor: ``batch_size x 1 x H x W``; each word's map is bilinearly
        resized to its box on the canvas grid (floor / ceil of the scaled
        corners, at least 1 x 1 pixel; parts outside the canvas dropped) and combined with a per-pixel maximum.
    """
    height, width = canvas_shape
    canvas = word_maps.new_zeros(batch_size, 1, height, width)
    for word_map, roi in zip(word_maps, rois):
        index = int(roi[0])
        x1, y1, x2, y2 = (roi[1:] * spatial_scale).tolist()
        # The box on the canvas grid (at least one pixel), then its part
        # inside the canvas.
        left0, top0 = math.floor(x1), math.floor(y1)
        right0 = max(math.ceil(x2), left0 + 1)
        bottom0 = max(math.ceil(y2), top0 + 1)
        left, top = max(left0, 0), max(top0, 0)
        right, bottom = min(right0, width), min(bottom0, height)
        if right <= left or bottom <= top:
            continue
        box_map = F.interpolate(
            word_map[None, None], (bottom0 - top0, right0 - left0),
            mode='bilinear',
            align_corners=False)[0, 0]
        patch = box_map[top - top0:bottom - top0, left - left0:right - left0]
        region = canvas[index, 0, top:bottom, left:right]
        canvas[index, 0, top:bottom, left:right] = torch.maximum(
            region, patch)
    return canvas


def ignore_weight(data_samples: Sequence[TextSegDataSample],
                  canvas_shape: Tuple[int, int], spatial_scale: float,
                  device: torch.device) -> Tensor:
    """Loss weights: 0 inside ignored words' boxes, 1 elsewhere.

    Args:
        data_samples (list[TextSegDataSample]): The batch.
        canvas_shape (tuple[int, int]): ``(H, W)`` of the weight map.
        spatial_scale (float): Map pixels per input pixel.
        device (torch.device): Device of the output.

    Returns:
        Tensor: ``N x 1 x H x W`` float weights.
    """
    rois = word_rois(data_samples, device, ignored=True)
    ones = torch.ones(len(rois), 1, 1, device=device)
    covered = paste_word_maps(ones, rois, len(data_samples), canvas_shape,
                              spatial_scale)
    return 1. - covered


class RecognizerTextAttention:
    """A frozen recognizer turning word crops into text-line attention maps.

    Deliberately not an ``nn.Module``: the recognizer is a fixed teacher
    used in training only, so it is kept out of the segmentor's parameters,
    optimizer and checkpoints (inference and ``tools/test.py`` never need
    it). It is built on first use and moved to the inputs' device.

    The recognizer may be any MMOCR recognizer with a method
    ``text_attention_maps(inputs) -> M x T x h x w`` (normalised per-step
    2-D attention maps, steps after the word's end set to 0), e.g.
    :class:`~mmtextknow.models.textrecog.DANRecognizer`.

    Args:
        config (str, optional): Path of an MMOCR recognition config (its
            ``model`` is built). Relative paths are read from the current
            directory, as MMOCR's tools do.
        model (dict, optional): The recognizer's model config instead of a
            config file.
        checkpoint (str, optional): Recognizer weights (an MMEngine
            checkpoint). None gives random weights, with a warning: only
            sensible for tests and smoke runs.
        crop_size (tuple[int, int]): ``(H, W)`` of the crops. Defaults to
            ``(32, 128)`` (the paper's ``M x 128 x 32``).
    """

    def __init__(self,
                 config: Optional[str] = None,
                 model: Optional[dict] = None,
                 checkpoint: Optional[str] = None,
                 crop_size: Tuple[int, int] = (32, 128)) -> None:
        if (config is None) == (model is None):
            raise ValueError('give the recognizer as exactly one of config= '
                             '(a config file) or model= (a model config)')
        self.config = config
        self.model_cfg = model
        self.checkpoint = checkpoint
        self.crop_size = tuple(crop_size)
        self._recognizer: Optional[nn.Module] = None

    @property
    def recognizer(self) -> nn.Module:
        """The frozen recognizer (built, loaded and frozen on first use)."""
        if self._recognizer is None:
            self._recognizer = self._build()
        return self._recognizer

    def _build(self) -> nn.Module:
        # Files are checked here, not at construction: a segmentor built
        # for inference never needs them.
        for name, path in (('config', self.config), ('checkpoint',
                                                      self.checkpoint)):
            if path is not None and not osp.isfile(path):
                raise FileNotFoundError(
                    f'{osp.abspath(path)}: REM recognizer {name} not found '
                    '(paths are relative to the current directory; train '
                    'the recognizer first, e.g. tools/train.py configs/'
                    'textrecog/dan/..., or set model.rem.recognizer.'
                    'checkpoint=None for random weights)')
        model_cfg = self.model_cfg
        if self.config is not None:
            model_cfg = Config.fromfile(self.config).model
        init_default_scope('mmocr')
        recognizer = MODELS.build(model_cfg)
        if not callable(getattr(recognizer, 'text_attention_maps', None)):
            raise TypeError(
                f'{type(recognizer).__name__} has no text_attention_maps('
                'inputs) method: REM needs a recognizer exposing its 2-D '
                'attention maps (e.g. DANRecognizer)')
        if self.checkpoint is None:
            warnings.warn('REM recognizer without a checkpoint: its '
                          'attention maps come from random weights')
        else:
            load_checkpoint(recognizer, self.checkpoint, map_location='cpu')
        recognizer.eval()
        recognizer.requires_grad_(False)
        return recognizer

    @torch.no_grad()
    def __call__(self, images: Tensor, rois: Tensor,
                 image_preprocessor: BaseDataPreprocessor) -> Tensor:
        """Text-line attention maps of the words.

        Args:
            images (Tensor): ``N x C x H x W`` segmentation inputs, as
                normalised by ``image_preprocessor``.
            rois (Tensor): ``M x 5`` word rois in input pixels
                (:func:`word_rois`).
            image_preprocessor (BaseDataPreprocessor): The segmentor's data
                preprocessor, to undo its normalisation.

        Returns:
            Tensor: ``M x h x w`` maps in [0, 1]: a word's per-step maps
            summed and divided by their maximum (all zero when the
            recognizer reads no character).
        """
        recognizer = self.recognizer.to(images.device)
        if len(rois) == 0:
            return images.new_zeros(0, 1, 1)
        pixels = _denormalise(images, image_preprocessor)
        crops = roi_align(pixels, rois, self.crop_size, 1.0, 2, 'avg', True)
        crops = _normalise_like(crops, image_preprocessor,
                                recognizer.data_preprocessor)
        maps = recognizer.text_attention_maps(crops).sum(1)
        peak = maps.flatten(1).amax(1).clamp_min(1e-6)
        return maps / peak[:, None, None]


def _denormalise(images: Tensor,
                 preprocessor: BaseDataPreprocessor) -> Tensor:
    """Undo an ImgDataPreprocessor's mean/std normalisation."""
    if getattr(preprocessor, '_enable_normalize', False):
        return images * preprocessor.std + preprocessor.mean
    return images


def _normalise_like(pixels: Tensor, source: BaseDataPreprocessor,
                    target: BaseDataPreprocessor) -> Tensor:
    """Bring pixels in ``source``'s channel order to what ``target``'s
    preprocessing would have produced (channel order, mean/std)."""
    if bool(getattr(source, '_channel_conversion', False)) != bool(
            getattr(target, '_channel_conversion', False)):
        pixels = pixels.flip(1)
    if getattr(target, '_enable_normalize', False):
        pixels = (pixels - target.mean) / target.std
    return pixels
