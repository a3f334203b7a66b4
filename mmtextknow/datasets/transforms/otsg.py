"""Generation of STKM's ordered text sequence (OTSG, Algorithm 1)."""
from typing import Dict, List, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TASK_UTILS, TRANSFORMS

from mmtextknow.models.common import OTSGDictionary

#: The text of unreadable words in MMOCR's annotations.
IGNORED_TEXT = '###'
#: Stats of :meth:`OTSGDictionary.encode` -> results key.
OTSG_COUNTERS = {
    'truncated': 'otsg_truncated',
    'unknown_chars': 'otsg_unknown_chars',
    'dropped_chars': 'otsg_dropped_chars',
    'truncated_chars': 'otsg_truncated_chars',
    'truncated_words': 'otsg_truncated_words',
}


@TRANSFORMS.register_module()
class GenerateOTSGSequence(BaseTransform):
    """Build the ordered text sequence of an image's readable words.

    Ignored words and the ``'###'`` text are dropped, then the words are
    encoded by an :class:`OTSGDictionary` (sorted, separated by WOS,
    between SOS and EOS, padded to ``max_len``; see its docstring for the
    out-of-dictionary and truncation rules).

    ``LoadOCRAnnotations(with_text=True)`` alone loads no ``gt_ignored``
    (MMOCR loads the flags only with boxes or polygons); then the
    ``ignore`` flags of ``instances`` are used when the results have one
    instance per text, and ``'###'`` is dropped in any case.

    Required Keys:

    - gt_texts (list[str])
    - gt_ignored (np.ndarray of bool, optional)
    - instances (list[dict], optional, only read without ``gt_ignored``)

    Added Keys:

    - gt_sequence (np.ndarray of int64, length ``max_len``)
    - gt_words (list[str]): the encoded words, sorted.
    - otsg_truncated (bool)
    - otsg_unknown_chars (int): characters mapped to UNK.
    - otsg_dropped_chars (int): out-of-dictionary characters removed
      (``unknown='drop'``).
    - otsg_truncated_chars (int): characters cut by truncation.
    - otsg_truncated_words (int): words cut entirely by truncation.

    Args:
        dictionary (dict or OTSGDictionary): The dictionary or its config,
            built with ``TASK_UTILS``. Defaults to
            ``dict(type='OTSGDictionary')`` (L = 400, UNK class).
    """

    def __init__(self,
                 dictionary: Union[Dict, OTSGDictionary] = dict(
                     type='OTSGDictionary')) -> None:
        if isinstance(dictionary, dict):
            dictionary = TASK_UTILS.build(dictionary)
        self.dictionary = dictionary

    @staticmethod
    def _readable_words(results: dict) -> List[str]:
        """The texts that are neither ignored nor ``'###'``."""
        texts = list(results.get('gt_texts', []))
        ignored = results.get('gt_ignored')
        if ignored is None:
            instances = results.get('instances')
            if instances is not None and len(instances) == len(texts):
                ignored = [bool(inst.get('ignore', False))
                           for inst in instances]
        if ignored is None:
            ignored = np.zeros(len(texts), np.bool_)
        ignored = np.asarray(ignored, np.bool_).reshape(-1)
        if len(ignored) != len(texts):
            raise ValueError(
                f'{results.get("img_path", "<image>")}: {len(texts)} '
                f'gt_texts but {len(ignored)} gt_ignored flags')
        return [
            text for text, ignore in zip(texts, ignored)
            if not ignore and text != IGNORED_TEXT
        ]

    def transform(self, results: dict) -> dict:
        """Add the sequence, its words and the counters.

        Args:
            results (dict): The results, with ``gt_texts``.

        Returns:
            dict: The results with the added keys.
        """
        indexes, stats = self.dictionary.encode(self._readable_words(results))
        results['gt_sequence'] = np.asarray(indexes, dtype=np.int64)
        results['gt_words'] = stats['words']
        for stat_key, results_key in OTSG_COUNTERS.items():
            value = stats[stat_key]
            results[results_key] = (
                bool(value) if stat_key == 'truncated' else int(value))
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(dictionary={self.dictionary!r})'
