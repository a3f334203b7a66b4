"""Data sample of the text-sequence task (STKM's OTSG pre-training)."""
from mmengine.structures import BaseDataElement, LabelData

from .textseg_data_sample import _typed_field


class TextSequenceDataSample(BaseDataElement):
    """An image's ordered text sequence: ground truth and prediction.

    Meta information: the usual ``img_path``, ``ori_shape``,
    ``img_shape``, ``scale_factor``, and the OTSG counters of
    :class:`~mmtextknow.datasets.transforms.GenerateOTSGSequence`
    (``otsg_truncated``, ``otsg_unknown_chars``, ...).

    Examples:
        >>> import torch
        >>> from mmengine.structures import LabelData
        >>> sample = TextSequenceDataSample()
        >>> sample.gt_sequence = LabelData(
        ...     indexes=torch.tensor([1, 4, 2, 3, 0]), words=['!'])
        >>> sample.gt_sequence.words
        ['!']
    """

    gt_sequence = _typed_field(
        'gt_sequence', LabelData, 'Ground truth: ``indexes`` (LongTensor '
        'of length L, see ``OTSGDictionary``) and ``words`` (list[str], '
        'the sorted encoded words).')
    pred_sequence = _typed_field(
        'pred_sequence', LabelData, 'Prediction: ``indexes`` '
        '(LongTensor), ``words`` (list[str]) and ``scores`` (FloatTensor, '
        'the maximum probability of each step).')
