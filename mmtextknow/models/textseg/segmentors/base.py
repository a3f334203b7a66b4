"""Base class of text segmentors."""
from abc import ABCMeta, abstractmethod
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.structures import PixelData

from mmtextknow.structures import TextSegDataSample

SampleList = Sequence[TextSegDataSample]
ForwardResults = Union[Dict[str, torch.Tensor], SampleList, torch.Tensor,
                       Tuple[torch.Tensor, ...]]


class BaseTextSegmentor(BaseModel, metaclass=ABCMeta):
    """Base class of pixel-level text segmentors.

    Subclasses implement :meth:`extract_feat`, :meth:`loss`,
    :meth:`predict` and :meth:`_forward`; :meth:`predict` turns the text
    probabilities into predictions with the shared :meth:`postprocess`.

    Args:
        data_preprocessor (dict, optional): Config of the data preprocessor
            (usually ``TextSegDataPreprocessor``).
        threshold (float): Probability above which a pixel is text.
            Defaults to 0.5.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 data_preprocessor: Optional[dict] = None,
                 threshold: float = 0.5,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.threshold = threshold

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor') -> ForwardResults:
        """The unified entry of training, inference and tracing.

        Args:
            inputs (torch.Tensor): Preprocessed images, NxCxHxW.
            data_samples (list[TextSegDataSample], optional): The samples.
            mode (str): 'loss' (a dict of losses), 'predict' (the samples
                with predictions) or 'tensor' (the raw network outputs).
                Defaults to 'tensor'.

        Returns:
            dict | list[TextSegDataSample] | Tensor | tuple[Tensor]: As
            ``mode`` says.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}": only supports loss, '
                           'predict and tensor mode')

    @abstractmethod
    def extract_feat(self, inputs: torch.Tensor):
        """Extract features from the preprocessed images."""

    @abstractmethod
    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """The losses of a batch (a dict of scalar tensors)."""

    @abstractmethod
    def predict(self, inputs: torch.Tensor,
                data_samples: SampleList) -> SampleList:
        """The samples with ``pred_pixel_mask`` (and ``pred_polygon_mask``
        for methods predicting one), see :meth:`postprocess`."""

    @abstractmethod
    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[SampleList] = None):
        """The network's raw outputs (logits), without post-processing."""

    @staticmethod
    def stack_gt_masks(
            data_samples: SampleList, field: str, shape: Sequence[int],
            device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
        """Gather one ground-truth mask field of a batch.

        Args:
            data_samples (list[TextSegDataSample]): The batch's samples, with
                masks padded to the batch shape (``TextSegDataPreprocessor``
                in training mode).
            field (str): 'gt_pixel_mask' or 'gt_polygon_mask'.
            shape (Sequence[int]): (H, W) the masks must have.
            device (torch.device): Device of the outputs.

        Returns:
            tuple[Tensor, Tensor]: The masks, Nx1xHxW float with the
            pipeline's values (0 background, 1 text,
            :data:`~mmtextknow.datasets.mask_values.IGNORE_INDEX` don't
            care, which the shared losses ``SoftIoULoss`` and
            ``FCNTextSegHead.loss_by_feat`` leave out; zeros for a sample
            without this ground truth), and the Boolean N-vector telling
            which samples have it (field present and metainfo flag
            ``has_*`` True).
        """
        flag = 'has_' + (field[3:] if field.startswith('gt_') else field)
        height, width = shape[:2]
        masks, valid = [], []
        for sample in data_samples:
            has_gt = field in sample and bool(sample.metainfo.get(flag))
            if has_gt:
                mask = getattr(sample, field).data
                if tuple(mask.shape[-2:]) != (height, width):
                    raise ValueError(
                        f'{field} is {tuple(mask.shape[-2:])}, the output '
                        f'{(height, width)}: preprocess training batches '
                        'with training=True so that masks are padded')
                masks.append(
                    mask.reshape(1, height, width).to(device, torch.float32))
            else:
                masks.append(torch.zeros(1, height, width, device=device))
            valid.append(has_gt)
        return (torch.stack(masks),
                torch.tensor(valid, dtype=torch.bool, device=device))

    def postprocess(self,
                    pixel_probs: torch.Tensor,
                    data_samples: SampleList,
                    polygon_probs: Optional[torch.Tensor] = None,
                    from_logits: bool = False) -> SampleList:
        """Write predictions at each sample's original size.

        For each sample the map (Nx1xhxw) is first resized to the padded
        batch input (``batch_input_shape``) if it is smaller, then the
        padding is cropped away (``img_shape``), then it is bilinearly
        resized to ``ori_shape`` and thresholded with ``threshold``.

        Args:
            pixel_probs (Tensor): Text probabilities (or logits when
                ``from_logits``) of the pixel-level mask, Nx1xhxw.
            data_samples (list[TextSegDataSample]): The batch's samples
                (metainfo ``img_shape``, ``ori_shape``; missing ones default
                to the map's size).
            polygon_probs (Tensor, optional): The same for the polygon-level
                mask.
            from_logits (bool): Apply a sigmoid first. Defaults to False.

        Returns:
            list[TextSegDataSample]: The samples, with ``pred_pixel_mask``
            (and ``pred_polygon_mask``) = ``PixelData(data=1xHxW uint8 0/1,
            prob=1xHxW float)`` at ``ori_shape``.
        """
        outputs = {'pred_pixel_mask': pixel_probs}
        if polygon_probs is not None:
            outputs['pred_polygon_mask'] = polygon_probs
        for field, probs in outputs.items():
            probs = probs.detach().float()
            batch_shape = tuple(data_samples[0].metainfo.get(
                'batch_input_shape', probs.shape[-2:]))
            if tuple(probs.shape[-2:]) != batch_shape:
                probs = F.interpolate(
                    probs, batch_shape, mode='bilinear', align_corners=False)
            if from_logits:
                probs = probs.sigmoid()
            for prob, sample in zip(probs, data_samples):
                setattr(sample, field, self._restore(prob, sample.metainfo))
        return data_samples

    def _restore(self, prob: torch.Tensor, meta: dict) -> PixelData:
        """Crop the padding and resize a 1xHxW map to ``ori_shape``."""
        img_h, img_w = meta.get('img_shape', prob.shape[-2:])[:2]
        ori_h, ori_w = meta.get('ori_shape', (img_h, img_w))[:2]
        prob = prob[None, :, :img_h, :img_w]
        if (img_h, img_w) != (ori_h, ori_w):
            prob = F.interpolate(
                prob, (ori_h, ori_w), mode='bilinear', align_corners=False)
        prob = prob[0]
        return PixelData(
            data=(prob > self.threshold).to(torch.uint8), prob=prob)
