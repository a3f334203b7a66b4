# Copyright (c) mmtextknow contributors. All rights reserved.
"""Character-set precision / recall / F1 and exact accuracy.

Scores the ablation of STKM without the decoder (paper Table 1,
:class:`STKMMultiLabel`), which predicts the *set* of characters present in
an image (``pred_sequence.chars``) and reads no word, so that the word-level
:class:`TextSequenceMetric` cannot score it. The full STKM is scored the
same way from the characters of its decoded words, which makes the two
comparable.
"""
from typing import Any, Dict, List, Optional, Sequence, Set

from mmengine.evaluator import BaseMetric
from mmocr.registry import METRICS

from .text_sequence_metric import _field, micro_prf


@METRICS.register_module()
class CharSetMetric(BaseMetric):
    """Per-image character-set precision, recall, F1 and exact match.

    For each data sample (a :class:`TextSequenceDataSample` or its
    ``to_dict()``):

    - the predicted set is ``pred_sequence.chars`` (the items of the list,
      e.g. from :class:`STKMMultiLabel`) or, when ``pred_sequence`` has no
      ``chars``, the set of characters of ``pred_sequence.words`` (e.g.
      from :class:`STKM`);
    - the ground-truth set is the set of characters of
      ``gt_sequence.words``.

    Returned metrics (fractions in [0, 1], under ``prefix/``), micro-averaged
    over the images:

    - ``precision`` = sum of true positives / sum of predicted set sizes,
      ``recall`` = sum of true positives / sum of ground-truth set sizes,
      ``hmean`` their harmonic mean (F1). Where a denominator is 0 the ratio
      is 0, except that when no image has a predicted or a ground-truth
      character, precision = recall = F1 = 1 (nothing missed or wrong);
    - ``exact``: the fraction of images whose two sets are equal (an image
      with no predicted and no ground-truth character is exact); 0 if there
      is no image.

    Args:
        ignore_case (bool): Lower-case both sides before comparing.
            Defaults to False.
        collect_device (str): Device used to collect results across ranks,
            ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'charset'``.
    """

    default_prefix: Optional[str] = 'charset'

    def __init__(self,
                 ignore_case: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.ignore_case = ignore_case

    def _norm(self, items: Set[str]) -> Set[str]:
        """``items``, lower-cased when ``ignore_case``."""
        return {s.lower() for s in items} if self.ignore_case else items

    @staticmethod
    def _word_list(sequence: Any, key: str) -> List[str]:
        """``sequence.words`` checked to be a list of strings."""
        words = _field(sequence, 'words')
        if words is None:
            raise KeyError(f'{key} of the data sample has no words')
        if isinstance(words, str):
            raise TypeError(f'{key}.words must be a list of words, got a '
                            f'string {words!r}')
        return [str(w) for w in words]

    def pred_set(self, sample: Any) -> Set[str]:
        """The predicted character set of a data sample.

        Args:
            sample (Any): A data sample (object or dict) with
                ``pred_sequence``.

        Returns:
            set[str]: ``pred_sequence.chars`` as a set or, when absent, the
            characters of ``pred_sequence.words``.
        """
        sequence = _field(sample, 'pred_sequence')
        if sequence is None:
            raise KeyError('the data sample has no pred_sequence to evaluate')
        chars = _field(sequence, 'chars')
        if chars is not None:
            if isinstance(chars, str):
                chars = list(chars)
            return self._norm({str(c) for c in chars})
        words = self._word_list(sequence, 'pred_sequence')
        return self._norm({c for w in words for c in w})

    def gt_set(self, sample: Any) -> Set[str]:
        """The set of characters of ``gt_sequence.words``.

        Args:
            sample (Any): A data sample (object or dict) with
                ``gt_sequence``.

        Returns:
            set[str]: The ground-truth character set.
        """
        sequence = _field(sample, 'gt_sequence')
        if sequence is None:
            raise KeyError('the data sample has no gt_sequence to evaluate')
        words = self._word_list(sequence, 'gt_sequence')
        return self._norm({c for w in words for c in w})

    def process(self, data_batch: Any, data_samples: Sequence[Any]) -> None:
        """Count the true positive, predicted and ground-truth characters.

        Args:
            data_batch (Any): The batch from the dataloader (unused).
            data_samples (Sequence): Predicted data samples, as dicts (or
                objects) with ``pred_sequence`` and ``gt_sequence``.
        """
        for sample in data_samples:
            pred = self.pred_set(sample)
            gt = self.gt_set(sample)
            self.results.append(
                dict(
                    num_tp=len(pred & gt),
                    num_pred=len(pred),
                    num_gt=len(gt),
                    exact=pred == gt))

    def compute_metrics(self, results: List[Dict[str, Any]]) -> Dict[str,
                                                                     float]:
        """Compute the metrics from the per-sample counts.

        Args:
            results (list[dict]): The records made by :meth:`process`.

        Returns:
            dict[str, float]: ``precision``, ``recall``, ``hmean`` and
            ``exact`` (see the class docstring).
        """
        precision, recall, hmean, exact = micro_prf(results, 'num_tp')
        return dict(
            precision=precision, recall=recall, hmean=hmean, exact=exact)
