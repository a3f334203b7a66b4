"""Data preprocessor of the text segmentation task."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.model import ImgDataPreprocessor
from mmengine.structures import PixelData
from mmocr.registry import MODELS

#: Data-sample fields holding ground-truth masks aligned with the input.
GT_MASK_FIELDS = ('gt_pixel_mask', 'gt_polygon_mask')


@MODELS.register_module()
class TextSegDataPreprocessor(ImgDataPreprocessor):
    """Normalise, pad and stack images; pad the training masks alike.

    The images are handled by :class:`mmengine.model.ImgDataPreprocessor`
    (BGR -> RGB, ``(x - mean) / std``, zero padding on the bottom and right
    to a multiple of ``pad_size_divisor``). Each data sample then gets
    ``batch_input_shape`` and ``pad_shape`` (the padded batch size) in its
    metainfo.

    With ``training=True`` each ground-truth mask (the fields in
    ``mask_fields``) is aligned with its image, so it is zero-padded
    (background) on the bottom and right to the batch's padded size. At test
    time the masks are kept as loaded: test pipelines load them after the
    resize, at ``ori_shape``, where predictions are compared with them.

    Args:
        mean (Sequence[float], optional): Per-channel means.
        std (Sequence[float], optional): Per-channel stds.
        pad_size_divisor (int): The padded size is a multiple of it.
            Defaults to 32.
        pad_value (float): Padding value of the images. Defaults to 0.
        bgr_to_rgb (bool): Convert BGR inputs to RGB. Defaults to False.
        rgb_to_bgr (bool): Convert RGB inputs to BGR. Defaults to False.
        non_blocking (bool): Non-blocking host-to-device copies.
            Defaults to False.
        mask_fields (Sequence[str]): Data-sample fields of the masks to pad.
            Defaults to :data:`GT_MASK_FIELDS`.
    """

    def __init__(self,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 pad_size_divisor: int = 32,
                 pad_value: float = 0,
                 bgr_to_rgb: bool = False,
                 rgb_to_bgr: bool = False,
                 non_blocking: bool = False,
                 mask_fields: Sequence[str] = GT_MASK_FIELDS) -> None:
        super().__init__(
            mean=mean,
            std=std,
            pad_size_divisor=pad_size_divisor,
            pad_value=pad_value,
            bgr_to_rgb=bgr_to_rgb,
            rgb_to_bgr=rgb_to_bgr,
            non_blocking=non_blocking)
        self.mask_fields = tuple(mask_fields)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Preprocess the images and the data samples.

        Args:
            data (dict): ``inputs`` (a list of CxHxW tensors or an NCHW
                tensor) and ``data_samples`` (list of
                :obj:`TextSegDataSample`, optional).
            training (bool): Whether the batch is for training (then the gt
                masks are padded). Defaults to False.

        Returns:
            dict: ``inputs`` (NxCxHxW float tensor) and ``data_samples``.
        """
        data = super().forward(data, training)
        data_samples = data.get('data_samples')
        if not data_samples:
            return data
        batch_input_shape = tuple(data['inputs'].shape[-2:])
        for sample in data_samples:
            sample.set_metainfo(
                dict(
                    batch_input_shape=batch_input_shape,
                    pad_shape=batch_input_shape))
            if training:
                self._pad_masks(sample, batch_input_shape)
        return data

    def _pad_masks(self, sample, shape: Sequence[int]) -> None:
        """Zero-pad the sample's masks to ``shape`` (bottom and right)."""
        img_shape = sample.metainfo.get('img_shape')
        for field in self.mask_fields:
            if field not in sample:
                continue
            mask: torch.Tensor = getattr(sample, field).data
            mask_hw = tuple(mask.shape[-2:])
            if (img_shape is not None and mask_hw != tuple(img_shape[:2])) \
                    or mask_hw[0] > shape[0] or mask_hw[1] > shape[1]:
                raise ValueError(
                    f'{field} of {sample.metainfo.get("img_path", "a sample")}'
                    f' is {mask_hw}, not the image size {img_shape}: training '
                    'masks must be transformed with the image')
            pad_h, pad_w = shape[0] - mask_hw[0], shape[1] - mask_hw[1]
            if pad_h or pad_w:
                setattr(sample, field,
                        PixelData(data=F.pad(mask, (0, pad_w, 0, pad_h))))
