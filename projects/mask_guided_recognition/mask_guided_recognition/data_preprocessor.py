# Copyright (c) mmtextknow contributors. All rights reserved.
"""A recognition data preprocessor that appends a text-mask channel."""
import warnings
from numbers import Number
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.model.utils import stack_batch
from mmengine.runner import load_checkpoint
from mmocr.models.textrecog.data_preprocessors import \
    TextRecogDataPreprocessor
from mmocr.registry import MODELS
from torch import nn

from mmtextknow.structures import TextSegDataSample

#: Where the mask channel comes from: nothing (no channel), a Bernoulli
#: random mask (MGNet's RM), a frozen segmenter's prediction (PM) or the
#: ground-truth mask of the crop (GT).
MASK_SOURCES = ('none', 'random', 'predicted', 'gt')

#: BT.601 luma weights of the B, G, R channels (what cv2 uses for
#: BGR -> grey).
BGR_LUMA = (0.114, 0.587, 0.299)


@MODELS.register_module()
class MaskChannelDataPreprocessor(TextRecogDataPreprocessor):
    """Normalise and pad word crops as ``TextRecogDataPreprocessor`` does,
    then append one text-mask channel.

    The pipeline gives BGR crops (``LoadImageFromFile`` in colour). The
    recognizer channels are made from them (grey with ``gray=True``, as
    MMOCR's CRNN reads them, else the colour channels, converted with
    ``bgr_to_rgb``) and normalised with ``mean`` / ``std``; the mask
    channel ``m`` (1 text, 0 background; a probability for
    ``pred_mask='prob'``) becomes ``(m - mask_mean) / mask_std`` and is
    concatenated last, so ``inputs`` has one channel more than the
    recognizer's pretrained first layer. Which mask, by ``mask_source``:

    - ``'none'``: no channel (the plain recognizer, same preprocessing);
    - ``'random'``: each pixel 1 with probability ``random_prob`` (0.5),
      drawn anew for every batch from torch's global generator: MGNet's
      "random mask" (TIP 2021, Sec. III-C: "randomly setting each pixel on
      an all-zero image to 1 with 50% probability");
    - ``'predicted'``: the pixel-level mask of a frozen text segmentor of
      mmtextknow (FCN, MGNet, ARM-Net; ``segmenter`` config +
      ``seg_checkpoint``) run on the colour crops, resized by
      ``seg_scale`` first and mapped back to the crop size. The segmenter
      runs under ``torch.no_grad`` in eval mode with its own data
      preprocessor, and its parameters have ``requires_grad=False``;
    - ``'gt'``: the crop's ground-truth mask
      (``MaskedTextRecogDataSample.gt_pixel_mask``, value 1 = text).

    The mask is zero (background) in the batch padding. The image
    channels do not depend on ``mask_source``.

    Args:
        mean (Sequence[Number], optional): Means of the recognizer channels.
        std (Sequence[Number], optional): Stds of the recognizer channels.
        pad_size_divisor (int): Pad the batch to a multiple of it.
            Defaults to 1.
        pad_value (Number): Padding value of the image. Defaults to 0.
        bgr_to_rgb (bool): Convert the colour channels to RGB (without
            ``gray``). Defaults to False.
        gray (bool): Make one BT.601 grey channel of the BGR crop.
            Defaults to False.
        mask_source (str): One of :data:`MASK_SOURCES`. Defaults to
            'random'.
        mask_mean (float): Defaults to 0.5.
        mask_std (float): Defaults to 0.5 (the mask channel is then -1 / 1).
        random_prob (float): Probability of a 1 in the random mask.
            Defaults to 0.5.
        segmenter (str or dict, optional): The segmentation model: a config
            file (its ``model``) or a model config. Needed by 'predicted'.
        seg_checkpoint (str, optional): The segmenter's checkpoint. None
            leaves its weights random (with a warning): only for tests.
        seg_scale (float): Resize factor of the crops fed to the segmenter.
            Defaults to 1.
        pred_mask (str): 'binary' (default: the segmenter's thresholded
            mask) or 'prob' (its text probability).

    Raises:
        ValueError: On an unknown source or option, or 'predicted' without
            ``segmenter``.
    """

    def __init__(self,
                 mean: Optional[Sequence[Number]] = None,
                 std: Optional[Sequence[Number]] = None,
                 pad_size_divisor: int = 1,
                 pad_value: Union[float, int] = 0,
                 bgr_to_rgb: bool = False,
                 gray: bool = False,
                 mask_source: str = 'random',
                 mask_mean: float = 0.5,
                 mask_std: float = 0.5,
                 random_prob: float = 0.5,
                 segmenter: Optional[Union[str, dict]] = None,
                 seg_checkpoint: Optional[str] = None,
                 seg_scale: float = 1.0,
                 pred_mask: str = 'binary') -> None:
        if gray and bgr_to_rgb:
            raise ValueError('gray and bgr_to_rgb exclude each other')
        super().__init__(
            mean=mean,
            std=std,
            pad_size_divisor=pad_size_divisor,
            pad_value=pad_value,
            bgr_to_rgb=bgr_to_rgb)
        if mask_source not in MASK_SOURCES:
            raise ValueError(f'mask_source must be one of {MASK_SOURCES}, '
                             f'got {mask_source!r}')
        if not 0 <= random_prob <= 1:
            raise ValueError(f'random_prob must be in [0, 1], got '
                             f'{random_prob}')
        if mask_std <= 0:
            raise ValueError(f'mask_std must be > 0, got {mask_std}')
        if pred_mask not in ('binary', 'prob'):
            raise ValueError("pred_mask must be 'binary' or 'prob', got "
                             f'{pred_mask!r}')
        if seg_scale <= 0:
            raise ValueError(f'seg_scale must be > 0, got {seg_scale}')
        self.gray = gray
        self.mask_source = mask_source
        self.mask_mean = float(mask_mean)
        self.mask_std = float(mask_std)
        self.random_prob = float(random_prob)
        self.seg_scale = float(seg_scale)
        self.pred_mask = pred_mask
        self.segmenter: Optional[nn.Module] = None
        if mask_source == 'predicted':
            if segmenter is None:
                raise ValueError("mask_source='predicted' needs a segmenter "
                                 '(config file or model config)')
            self.segmenter = self.build_segmenter(segmenter, seg_checkpoint)

    @staticmethod
    def build_segmenter(segmenter: Union[str, dict],
                        checkpoint: Optional[str]) -> nn.Module:
        """Build the frozen text segmentor.

        Args:
            segmenter (str or dict): A config file (its ``model`` is used)
                or a model config.
            checkpoint (str, optional): Its weights. None keeps the random
                initialisation, with a warning.

        Returns:
            nn.Module: The segmentor, in eval mode, without gradients.
        """
        cfg = Config.fromfile(segmenter).model if isinstance(
            segmenter, str) else Config(dict(model=segmenter)).model
        model = MODELS.build(cfg)
        if checkpoint:
            load_checkpoint(
                model, checkpoint, map_location='cpu', strict=True)
        else:
            warnings.warn('MaskChannelDataPreprocessor: no seg_checkpoint, '
                          'the segmenter keeps random weights')
        model.requires_grad_(False)
        return model.eval()

    def train(self, mode: bool = True) -> 'MaskChannelDataPreprocessor':
        """Set the mode; the segmenter always stays in eval mode."""
        super().train(mode)
        if self.segmenter is not None:
            self.segmenter.eval()
        return self

    def forward(self, data: Dict, training: bool = False) -> Dict:
        """Normalise, pad and stack the crops, then append the mask.

        Args:
            data (dict): ``inputs`` (list of CxHxW uint8 BGR tensors) and
                ``data_samples``.
            training (bool): Whether the batch is for training.

        Returns:
            dict: ``inputs`` (N x (C + 1) x H x W; C + 0 for 'none') and
            ``data_samples`` (with ``valid_ratio`` and
            ``batch_input_shape``).
        """
        data = self.cast_data(data)
        images = list(data['inputs'])
        if self.mask_source == 'predicted' and images[0].shape[0] != 3:
            raise ValueError('mask_source="predicted" needs colour (BGR) '
                             f'crops, got {images[0].shape[0]} channel(s): '
                             "load them with LoadImageFromFile in colour")
        if self.gray:
            data['inputs'] = [self.to_gray(img) for img in images]
        data = super().forward(data, training)
        if self.mask_source == 'none':
            return data
        inputs = data['inputs']
        mask = self.mask(images, data['data_samples'], inputs.shape)
        channel = (mask.to(inputs) - self.mask_mean) / self.mask_std
        data['inputs'] = torch.cat([inputs, channel], dim=1)
        return data

    @staticmethod
    def to_gray(img: torch.Tensor) -> torch.Tensor:
        """The BT.601 grey image (1xHxW float) of a 3xHxW BGR image; a
        1-channel image is returned as float."""
        if img.shape[0] == 1:
            return img.float()
        if img.shape[0] != 3:
            raise ValueError(f'gray needs 1 or 3 channels, got {img.shape[0]}')
        weights = torch.tensor(BGR_LUMA, device=img.device).view(3, 1, 1)
        return (img.float() * weights).sum(0, keepdim=True)

    def mask(self, images: List[torch.Tensor], data_samples: Optional[list],
             batch_shape: torch.Size) -> torch.Tensor:
        """The Nx1xHxW mask (0-1) of the padded batch.

        Args:
            images (list[Tensor]): The crops as given (CxHxW, BGR).
            data_samples (list, optional): The batch's samples ('gt' reads
                their ``gt_pixel_mask``).
            batch_shape (torch.Size): Shape of the normalised, padded batch.

        Returns:
            Tensor: The mask, float.
        """
        num, _, height, width = batch_shape
        device = images[0].device
        if self.mask_source == 'gt':
            return self._gt_mask(data_samples, (height, width), device)
        if self.mask_source == 'random':
            mask = (torch.rand((num, 1, height, width), device=device) <
                    self.random_prob).float()
        else:
            mask = self._predicted_mask(images, (height, width))
        for sample_mask, img in zip(mask, images):
            sample_mask[:, img.shape[-2]:] = 0
            sample_mask[:, :, img.shape[-1]:] = 0
        return mask

    def _gt_mask(self, data_samples: Optional[list], shape: Sequence[int],
                 device: torch.device) -> torch.Tensor:
        """The samples' ground-truth masks, zero-padded to ``shape``."""
        masks = []
        for sample in data_samples or []:
            if 'gt_pixel_mask' not in sample:
                raise ValueError(
                    f'{sample.metainfo.get("img_path", "a sample")} has no '
                    "gt_pixel_mask, which mask_source='gt' needs: load it "
                    'with LoadTextMasks(mask_keys=dict(pixel_mask_path='
                    "'gt_seg_map')) and pack it with "
                    'PackMaskedTextRecogInputs')
            mask = sample.gt_pixel_mask.data.to(device)
            mask = (mask.reshape(1, *mask.shape[-2:]) == 1).float()
            pad_h, pad_w = shape[0] - mask.shape[1], shape[1] - mask.shape[2]
            if pad_h < 0 or pad_w < 0:
                raise ValueError(
                    f'{sample.metainfo.get("img_path", "a sample")}: '
                    f'gt_pixel_mask {tuple(mask.shape[1:])} is larger than '
                    f'the batch {tuple(shape)}')
            masks.append(F.pad(mask, (0, pad_w, 0, pad_h)))
        if not masks:
            raise ValueError("mask_source='gt' needs the data samples")
        return torch.stack(masks)

    @torch.no_grad()
    def _predicted_mask(self, images: List[torch.Tensor],
                        shape: Sequence[int]) -> torch.Tensor:
        """The segmenter's mask of the colour crops, padded to ``shape``."""
        colour = stack_batch([img.float() for img in images],
                             pad_size_divisor=1, pad_value=0)
        height, width = colour.shape[-2:]
        if self.seg_scale != 1:
            size = (max(1, round(height * self.seg_scale)),
                    max(1, round(width * self.seg_scale)))
            colour = F.interpolate(
                colour, size, mode='bilinear', align_corners=False)
        samples = [
            TextSegDataSample(
                metainfo=dict(
                    img_shape=tuple(colour.shape[-2:]),
                    ori_shape=(height, width))) for _ in range(len(images))
        ]
        seg_data = self.segmenter.data_preprocessor(
            dict(inputs=colour, data_samples=samples), False)
        preds = self.segmenter(**seg_data, mode='predict')
        field = 'data' if self.pred_mask == 'binary' else 'prob'
        mask = torch.stack(
            [getattr(pred.pred_pixel_mask, field).float() for pred in preds])
        pad_h, pad_w = shape[0] - height, shape[1] - width
        if pad_h or pad_w:
            mask = F.pad(mask, (0, pad_w, 0, pad_h))
        return mask
