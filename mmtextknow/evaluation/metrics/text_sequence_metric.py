# Copyright (c) mmtextknow contributors. All rights reserved.
"""Word-set precision / recall / F1 and exact accuracy of text sequences.

Used to evaluate STKM's pre-training: the model reads all the words of an
image as one sequence, decoded into a word list (``pred_sequence.words``)
that is compared with the image's ground-truth word list
(``gt_sequence.words``), both regardless of order.
"""
from collections import Counter
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from mmengine.evaluator import BaseMetric
from mmocr.registry import METRICS


def _field(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` for a mapping, ``obj.key`` otherwise."""
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def micro_prf(results: Sequence[Dict[str, Any]], hits: str
              ) -> Tuple[float, float, float, float]:
    """Micro-averaged precision, recall, hmean and exact-match rate of
    per-image counts ``hits`` / ``num_pred`` / ``num_gt`` / ``exact``.

    Nothing predicted and nothing to find gives 1, 1, 1 (nothing missed or
    wrong); otherwise an empty denominator gives 0 (unlike MMOCR's
    ``compute_hmean``, recall is 0, not 1, when there is no ground truth
    but there are predictions).
    """
    num_hits = sum(r[hits] for r in results)
    num_pred = sum(r['num_pred'] for r in results)
    num_gt = sum(r['num_gt'] for r in results)
    if num_pred == 0 and num_gt == 0:
        precision = recall = hmean = 1.
    else:
        precision = num_hits / num_pred if num_pred else 0.
        recall = num_hits / num_gt if num_gt else 0.
        hmean = (2 * precision * recall /
                 (precision + recall) if precision + recall > 0 else 0.)
    exact = (sum(r['exact'] for r in results) /
             len(results) if results else 0.)
    return precision, recall, hmean, exact


def multiset_matches(pred_words: Sequence[str],
                     gt_words: Sequence[str]) -> int:
    """Number of predicted words matched by a ground-truth word.

    Multiset matching: a word predicted ``k`` times that occurs ``n`` times
    in the ground truth counts as ``min(k, n)`` correct predictions.

    Args:
        pred_words (Sequence[str]): Predicted words.
        gt_words (Sequence[str]): Ground-truth words.

    Returns:
        int: The number of correct predictions.
    """
    return sum((Counter(pred_words) & Counter(gt_words)).values())


@METRICS.register_module()
class TextSequenceMetric(BaseMetric):
    """Word-set precision, recall, F1 and exact-sequence accuracy.

    Each data sample (a :class:`TextSequenceDataSample` or its
    ``to_dict()``) provides ``pred_sequence['words']`` and
    ``gt_sequence['words']``, lists of strings in any order. Words are
    compared as multisets (see :func:`multiset_matches`): a predicted word
    is correct at most as many times as it occurs in the ground truth, so
    predicting ``['a', 'a']`` for ``['a']`` gives one true and one false
    positive.

    Returned metrics (fractions in [0, 1], under ``prefix/``):

    - ``word_precision`` = matched / predicted words and ``word_recall`` =
      matched / ground-truth words, counts summed over the dataset;
      ``word_hmean`` is their harmonic mean (F1). Where a denominator is 0
      the ratio is 0, except that when the dataset has no word at all
      (neither predicted nor ground truth) nothing could be missed or
      wrong and precision = recall = F1 = 1;
    - ``exact_accuracy``: the fraction of images whose sorted predicted
      word list equals the sorted ground-truth word list (duplicates
      matter; an image with no predicted and no ground-truth word is an
      exact match); 0 if there is no image;
    - ``num_images``: the number of images evaluated.

    Args:
        letter_case (str): ``'unchanged'`` compares words as they are;
            ``'lower'`` lower-cases both sides first. Defaults to
            ``'unchanged'``.
        collect_device (str): Device used to collect results across ranks,
            ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'textseq'``.
    """

    default_prefix: Optional[str] = 'textseq'

    def __init__(self,
                 letter_case: str = 'unchanged',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if letter_case not in ('unchanged', 'lower'):
            raise ValueError("letter_case must be 'unchanged' or 'lower', "
                             f'got {letter_case!r}')
        self.letter_case = letter_case

    def _words(self, sample: Any, key: str) -> List[str]:
        """The (case-normalised) word list of ``sample[key]``."""
        sequence = _field(sample, key)
        if sequence is None:
            raise KeyError(f'the data sample has no {key} to evaluate')
        words = _field(sequence, 'words')
        if words is None:
            raise KeyError(f'{key} of the data sample has no words')
        if isinstance(words, str):
            raise TypeError(f'{key}.words must be a list of words, got a '
                            f'string {words!r}')
        words = [str(w) for w in words]
        if self.letter_case == 'lower':
            words = [w.lower() for w in words]
        return words

    def process(self, data_batch: Any, data_samples: Sequence[Any]) -> None:
        """Count the matched, predicted and ground-truth words per sample.

        Args:
            data_batch (Any): The batch from the dataloader (unused).
            data_samples (Sequence): Predicted data samples, as dicts (or
                objects) with ``pred_sequence`` and ``gt_sequence``.
        """
        for sample in data_samples:
            pred = self._words(sample, 'pred_sequence')
            gt = self._words(sample, 'gt_sequence')
            self.results.append(
                dict(
                    num_matched=multiset_matches(pred, gt),
                    num_pred=len(pred),
                    num_gt=len(gt),
                    exact=sorted(pred) == sorted(gt)))

    def compute_metrics(self, results: List[Dict[str, Any]]) -> Dict[str,
                                                                     float]:
        """Compute the metrics from the per-sample counts.

        Args:
            results (list[dict]): The records made by :meth:`process`.

        Returns:
            dict[str, float]: The metrics listed in the class docstring.
        """
        precision, recall, hmean, exact = micro_prf(results, 'num_matched')
        return dict(
            word_precision=precision,
            word_recall=recall,
            word_hmean=hmean,
            exact_accuracy=exact,
            num_images=len(results))
