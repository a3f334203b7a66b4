"""Packing of the text segmentation task's inputs."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform, to_tensor
from mmengine.structures import InstanceData, PixelData
from mmocr.registry import TRANSFORMS

from mmtextknow.structures import TextSegDataSample

#: Results key of each mask -> results key of its "is real ground truth" flag.
MASK_FLAGS = {
    'gt_pixel_mask': 'has_pixel_mask',
    'gt_polygon_mask': 'has_polygon_mask',
}
#: Names of the data fields the packer fills; a meta key of the same name is
#: skipped (a data sample cannot hold a name both as data and as metainfo).
DATA_FIELDS = frozenset(MASK_FLAGS) | {'gt_instances'}


def image_to_tensor(img: np.ndarray) -> torch.Tensor:
    """HxW(xC) image array -> CxHxW tensor (contiguous, dtype kept), as the
    ``Pack*Inputs`` transforms of this package put it in ``inputs``."""
    if img.ndim < 3:
        img = img[..., None]
    if img.flags.c_contiguous:
        # Permuting the tensor is faster than transposing the array
        # (open-mmlab/mmdetection#9533).
        return to_tensor(img).permute(2, 0, 1).contiguous()
    return to_tensor(np.ascontiguousarray(img.transpose(2, 0, 1)))


@TRANSFORMS.register_module()
class PackTextSegInputs(BaseTransform):
    """Pack the inputs of text segmentation, as ``PackTextDetInputs`` does
    for detection.

    Required Keys:

    - img
    - gt_pixel_mask, gt_polygon_mask (optional, HxW, 0 background / 1 text
      / 255 ignore)
    - has_pixel_mask, has_polygon_mask (optional, False when absent)
    - gt_bboxes (optional, Nx4 float32), gt_ignored (optional, N bool)
    - the ``meta_keys`` (each optional)

    Added Keys:

    - inputs (torch.Tensor): the image, CxHxW uint8.
    - data_samples (:obj:`TextSegDataSample`): ``gt_pixel_mask`` and
      ``gt_polygon_mask`` as ``PixelData(data=1xHxW uint8 tensor)`` for the
      masks present in the results; metainfo ``has_pixel_mask``,
      ``has_polygon_mask`` (bool) and the ``meta_keys`` found in the
      results, except the packer's own data fields (:data:`DATA_FIELDS`),
      so that MMOCR's ``browse_dataset.py``, which sets ``meta_keys`` to
      every results key, works;
      ``gt_instances`` = ``InstanceData(bboxes=Nx4 float, ignored=N bool)``
      when the results have ``gt_bboxes`` (word boxes after the geometric
      transforms, read by ARM-Net's REM; ``ignored`` all False when the
      results have no ``gt_ignored``).

    Args:
        meta_keys (Sequence[str]): Results keys copied into the metainfo;
            missing ones and :data:`DATA_FIELDS` are skipped. Defaults to
            ``('img_path', 'ori_shape', 'img_shape', 'scale_factor',
            'pad_shape', 'flip', 'flip_direction')``.
    """

    def __init__(self,
                 meta_keys: Sequence[str] = ('img_path', 'ori_shape',
                                             'img_shape', 'scale_factor',
                                             'pad_shape', 'flip',
                                             'flip_direction')) -> None:
        self.meta_keys = tuple(meta_keys)

    @staticmethod
    def _pack_instances(results: dict) -> InstanceData:
        """The word boxes and their ignore flags as an InstanceData."""
        bboxes = np.asarray(results['gt_bboxes'], np.float32).reshape(-1, 4)
        ignored = results.get('gt_ignored')
        if ignored is None:
            ignored = np.zeros(len(bboxes), np.bool_)
        ignored = np.asarray(ignored, np.bool_).reshape(-1)
        if len(ignored) != len(bboxes):
            raise ValueError(
                f'{results.get("img_path", "<image>")}: {len(bboxes)} '
                f'gt_bboxes but {len(ignored)} gt_ignored flags')
        return InstanceData(
            bboxes=torch.from_numpy(bboxes),
            ignored=torch.from_numpy(ignored))

    def transform(self, results: dict) -> dict:
        """Pack the results into ``inputs`` and ``data_samples``.

        Args:
            results (dict): The results of the data pipeline.

        Returns:
            dict: ``inputs`` (torch.Tensor) and ``data_samples``
            (:obj:`TextSegDataSample`).
        """
        packed = dict()
        if 'img' in results:
            packed['inputs'] = image_to_tensor(results['img'])
        data_sample = TextSegDataSample()
        data_sample.set_metainfo({
            key: results[key]
            for key in self.meta_keys
            if key in results and key not in DATA_FIELDS
        })
        for mask_key, flag_key in MASK_FLAGS.items():
            if results.get(mask_key) is not None:
                mask = np.ascontiguousarray(results[mask_key], dtype=np.uint8)
                setattr(data_sample, mask_key,
                        PixelData(data=torch.from_numpy(mask[None])))
            data_sample.set_metainfo(
                {flag_key: bool(results.get(flag_key, False))})
        if results.get('gt_bboxes') is not None:
            data_sample.gt_instances = self._pack_instances(results)
        packed['data_samples'] = data_sample
        return packed

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(meta_keys={self.meta_keys})'
