"""Packing of the text-sequence task's inputs (STKM pre-training)."""
from typing import Sequence

import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import LabelData
from mmocr.registry import TRANSFORMS

from mmtextknow.structures import TextSequenceDataSample
from .formatting import image_to_tensor
from .otsg import OTSG_COUNTERS


@TRANSFORMS.register_module()
class PackTextSequenceInputs(BaseTransform):
    """Pack an image and its ordered text sequence.

    Required Keys:

    - img
    - gt_sequence (np.ndarray of int64, optional)
    - gt_words (list[str], optional)
    - the ``meta_keys`` (each optional)

    Added Keys:

    - inputs (torch.Tensor): the image, CxHxW uint8.
    - data_samples (:obj:`TextSequenceDataSample`): ``gt_sequence`` =
      ``LabelData(indexes=LongTensor(L), words=list[str])`` when the
      results have ``gt_sequence``; metainfo = the ``meta_keys`` found in
      the results.

    Args:
        meta_keys (Sequence[str]): Results keys copied into the metainfo;
            missing ones are skipped. Defaults to ``('img_path',
            'ori_shape', 'img_shape', 'scale_factor')`` plus the OTSG
            counters (``otsg_truncated``, ``otsg_unknown_chars``,
            ``otsg_dropped_chars``, ``otsg_truncated_chars``,
            ``otsg_truncated_words``).
    """

    def __init__(self,
                 meta_keys: Sequence[str] = (
                     'img_path', 'ori_shape', 'img_shape', 'scale_factor',
                     *OTSG_COUNTERS.values())) -> None:
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        """Pack the results into ``inputs`` and ``data_samples``.

        Args:
            results (dict): The results of the data pipeline.

        Returns:
            dict: ``inputs`` (torch.Tensor) and ``data_samples``
            (:obj:`TextSequenceDataSample`).
        """
        packed = dict()
        if 'img' in results:
            packed['inputs'] = image_to_tensor(results['img'])
        data_sample = TextSequenceDataSample()
        if results.get('gt_sequence') is not None:
            indexes = torch.as_tensor(results['gt_sequence'],
                                      dtype=torch.long)
            data_sample.gt_sequence = LabelData(
                indexes=indexes, words=list(results.get('gt_words', [])))
        data_sample.set_metainfo(
            {key: results[key]
             for key in self.meta_keys if key in results})
        packed['data_samples'] = data_sample
        return packed

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(meta_keys={self.meta_keys})'
