# Copyright (c) mmtextknow contributors. All rights reserved.
"""Foreground (text) pixel precision / recall / F of text segmentation.

The published tables mix three conventions, each reported here under its
own name (see :class:`TextPixelMetric`). Ground-truth pixels of value
:data:`~mmtextknow.datasets.mask_values.IGNORE_INDEX` (don't care) are left
out of every count, predicted text there included, as TexRNet's evaluator
does (SHI-Labs/Rethinking-Text-Segmentation, ``lib/evaluate_service.py``,
``bw_iandu``: predictions on ignored ground truth are removed before
counting). The per-image scores can be dumped to a JSON file, from which
:func:`f1_top1_rates` computes MGNet's "F1 Top-1 rate" between methods.
"""
import json
import logging
import os.path as osp
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np
import torch
from mmengine import mkdir_or_exist
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log
from mmocr.registry import METRICS

from mmtextknow.datasets.mask_values import IGNORE_INDEX

#: What each F1 of a dump means (written into the dump file).
MEAN_IMAGE_CONVENTION = (
    'per-image P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN); an '
    'image with neither ground-truth nor predicted text scores P = R = F1 = '
    '1; otherwise an undefined P (no predicted text) or R (no ground-truth '
    'text) is 0')

DumpLike = Union[str, Mapping[str, Any]]


def _field(sample: Any, key: str, default: Any = None) -> Any:
    """``sample.key``, for a data sample object and for its ``to_dict()``."""
    if isinstance(sample, Mapping):
        return sample.get(key, default)
    return getattr(sample, key, default)


def _mask_data(sample: Any, key: str) -> Optional[torch.Tensor]:
    """The ``data`` of the mask field ``key`` of ``sample``, or None."""
    mask = _field(sample, key)
    if mask is None:
        return None
    data = _field(mask, 'data')
    return None if data is None else torch.as_tensor(data)


def pixel_counts(pred: torch.Tensor,
                 gt: torch.Tensor,
                 ignore_index: Optional[int] = IGNORE_INDEX) -> List[int]:
    """True-positive, false-positive and false-negative text pixels.

    Pixels where ``gt == ignore_index`` are counted nowhere.

    Args:
        pred (torch.Tensor): Predicted mask (HxW or 1xHxW); non-zero is text.
        gt (torch.Tensor): Ground-truth mask of the same spatial size:
            0 background, ``ignore_index`` don't care, other values text.
        ignore_index (int, optional): The don't-care value. Defaults to
            :data:`IGNORE_INDEX`; None: no value is ignored.

    Returns:
        list[int]: ``[TP, FP, FN]``.
    """
    pred = pred.reshape(gt.shape[-2:]) > 0
    gt = gt.reshape(gt.shape[-2:]).to(pred.device)
    if ignore_index is not None:
        cared = gt != ignore_index
        pred = pred & cared
        gt = (gt > 0) & cared
    else:
        gt = gt > 0
    tp = torch.count_nonzero(pred & gt)
    counts = torch.stack(
        [tp, torch.count_nonzero(pred) - tp,
         torch.count_nonzero(gt) - tp])
    return [int(c) for c in counts.tolist()]


def _ratio(num: np.ndarray, den: np.ndarray, undefined: float) -> np.ndarray:
    """Element-wise ``num / den`` with ``undefined`` where ``den`` is 0."""
    out = np.full(num.shape, undefined, dtype=np.float64)
    return np.divide(num, den, out=out, where=den > 0)


def _harmonic(p: float, r: float) -> float:
    """F = 2PR / (P + R), 0 when P + R is 0."""
    return 2 * p * r / (p + r) if p + r > 0 else 0.


def per_image_scores(counts: np.ndarray) -> Dict[str, np.ndarray]:
    """Per-image P, R, F1 under MGNet's convention (c).

    See :data:`MEAN_IMAGE_CONVENTION` for the undefined cases.

    Args:
        counts (np.ndarray): Nx3 array of TP, FP, FN per image.

    Returns:
        dict[str, np.ndarray]: ``P``, ``R``, ``F1``, each of length N.
    """
    tp, fp, fn = counts.T
    both_empty = (tp + fp + fn) == 0
    scores = dict(
        P=_ratio(tp, tp + fp, 0.),
        R=_ratio(tp, tp + fn, 0.),
        F1=_ratio(2 * tp, 2 * tp + fp + fn, 0.))
    for value in scores.values():
        value[both_empty] = 1.
    return scores


@METRICS.register_module()
class TextPixelMetric(BaseMetric):
    """Precision, recall and F of text (foreground) pixels.

    Only samples whose ground truth of the evaluated level is real are
    evaluated: the metainfo flag ``has_pixel_mask`` (``has_polygon_mask``
    for ``target='polygon'``) must be true; where the flag is absent, the
    presence of the ground-truth mask decides. Other samples are skipped;
    their number is logged once per evaluation. Predictions and ground truth
    must have the same (original image) size. ``process`` keeps only three
    integers per image, never a mask.

    Ignore rule (every key): ground-truth pixels of value ``ignore_index``
    (:data:`IGNORE_INDEX`, 255: TextSeg's ignore label, ICDAR 2013's
    don't-care characters) are excluded from TP, FP and FN, whatever is
    predicted there, before any score is formed, so they count neither in
    the per-image scores nor in the dataset sums; an image whose pixels are
    all ignored is an image with neither ground-truth nor predicted text.
    With 0/1 ground truth nothing changes.

    Returned metrics (fractions in [0, 1], under ``prefix/``):

    - (a) dataset level, from the pixel counts summed over the set:
      ``dataset_P``, ``dataset_R``, ``dataset_F``;
    - (b) TexRNet's image-wise convention: ``imagewise_P`` and
      ``imagewise_R`` are the means over images of the per-image P and R,
      each taken as 0 where undefined (no predicted text for P, no
      ground-truth text for R, including an image with neither),
      ``imagewise_F = 2 mP mR / (mP + mR)``; ``fgIoU`` = summed TP /
      summed (TP + FP + FN);
    - (c) MGNet's convention: ``mean_image_P``, ``mean_image_R``,
      ``mean_image_F1``, the means over images of the per-image scores,
      with ``F1_i = 2 TP / (2 TP + FP + FN)``. Where a score is undefined:
      an image with neither ground-truth nor predicted text is a perfect
      answer, P = R = F1 = 1; otherwise the undefined P (no predicted
      text) or R (no ground-truth text) is 0, and F1 is then 0 too. This
      keeps every image in the mean and in the F1 Top-1 comparison;
    - ``num_images``: the number of evaluated images (0 when there is none,
      in which case every score is 0 and a warning is logged).

    Args:
        target (str): ``'pixel'`` compares ``pred_pixel_mask`` with
            ``gt_pixel_mask``; ``'polygon'`` compares ``pred_polygon_mask``
            with ``gt_polygon_mask``. Defaults to ``'pixel'``.
        dump_per_image (str, optional): If given, a JSON file written at
            each evaluation with the per-image ``img_path``, ``TP``, ``FP``,
            ``FN``, ``P``, ``R``, ``F1`` (convention (c)), the input of
            :func:`f1_top1_rates`. It may contain ``{log_dir}`` (the
            running MMEngine runner's ``work_dir/{timestamp}``, read from
            the current ``MMLogger``'s log file) and ``{timestamp}`` (that
            run's timestamp, or the metric's creation time
            ``%Y%m%d_%H%M%S`` without a runner), so that each run writes
            its own file. Defaults to None.
        ignore_index (int, optional): Ground-truth value excluded from every
            count. Defaults to :data:`IGNORE_INDEX`; None ignores nothing.
        collect_device (str): Device used to collect results across ranks,
            ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'textseg'``.
    """

    default_prefix: Optional[str] = 'textseg'

    def __init__(self,
                 target: str = 'pixel',
                 dump_per_image: Optional[str] = None,
                 ignore_index: Optional[int] = IGNORE_INDEX,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if target not in ('pixel', 'polygon'):
            raise ValueError(
                f"target must be 'pixel' or 'polygon', got {target!r}")
        self.target = target
        self.dump_per_image = dump_per_image
        self.ignore_index = ignore_index
        self._created = time.strftime('%Y%m%d_%H%M%S', time.localtime())
        self.gt_key = f'gt_{target}_mask'
        self.pred_key = f'pred_{target}_mask'
        self.flag_key = f'has_{target}_mask'

    def process(self, data_batch: Any, data_samples: Sequence[Any]) -> None:
        """Count the TP, FP and FN text pixels of each sample.

        Args:
            data_batch (Any): The batch from the dataloader (unused).
            data_samples (Sequence): Predicted data samples, as
                :class:`TextSegDataSample` or as their ``to_dict()``.
        """
        for sample in data_samples:
            self.results.append(self._process_sample(sample))

    def _process_sample(self, sample: Any) -> Dict[str, Any]:
        """The result record of one sample; ``counts`` None when skipped."""
        img_path = _field(sample, 'img_path')
        gt = _mask_data(sample, self.gt_key)
        if gt is None or not _field(sample, self.flag_key, True):
            return dict(img_path=img_path, counts=None)
        pred = _mask_data(sample, self.pred_key)
        if pred is None:
            raise KeyError(f'{img_path}: the sample has {self.gt_key} but no '
                           f'{self.pred_key} to evaluate')
        if pred.shape[-2:] != gt.shape[-2:]:
            raise ValueError(
                f'{img_path}: {self.pred_key} has size '
                f'{tuple(pred.shape[-2:])} but {self.gt_key} has '
                f'{tuple(gt.shape[-2:])}; predictions must be at the '
                'original image size')
        return dict(
            img_path=img_path,
            counts=pixel_counts(pred, gt, self.ignore_index))

    def compute_metrics(self,
                        results: List[Dict[str, Any]]) -> Dict[str, float]:
        """Compute conventions (a), (b) and (c) from the per-image counts.

        Args:
            results (list[dict]): The records made by :meth:`process`.

        Returns:
            dict[str, float]: The metrics listed in the class docstring.
        """
        evaluated = [r for r in results if r['counts'] is not None]
        num_skipped = len(results) - len(evaluated)
        if num_skipped:
            print_log(
                f'{self.__class__.__name__}: skipped {num_skipped} of '
                f'{len(results)} images without {self.target}-level ground '
                f'truth ({self.flag_key} false)', logger='current')
        counts = np.array([r['counts'] for r in evaluated],
                          dtype=np.int64).reshape(-1, 3)
        scores = per_image_scores(counts)
        if self.dump_per_image:
            self._dump([r['img_path'] for r in evaluated], counts, scores,
                       num_skipped)
        if not evaluated:
            print_log(
                f'{self.__class__.__name__}: no image with '
                f'{self.target}-level ground truth to evaluate; every score '
                'is reported as 0', logger='current', level=logging.WARNING)
        return self._metrics(counts.sum(0), counts, scores)

    @staticmethod
    def _metrics(total: np.ndarray, counts: np.ndarray,
                 scores: Dict[str, np.ndarray]) -> Dict[str, float]:
        """Assemble the returned metrics (all zero when ``counts`` is empty).

        Args:
            total (np.ndarray): TP, FP, FN summed over the images.
            counts (np.ndarray): Nx3 per-image TP, FP, FN.
            scores (dict): Per-image convention (c) scores.

        Returns:
            dict[str, float]: The metrics.
        """
        tp, fp, fn = (int(x) for x in total)
        dataset_p = tp / (tp + fp) if tp + fp else 0.
        dataset_r = tp / (tp + fn) if tp + fn else 0.
        img_tp, img_fp, img_fn = counts.T
        mean_p = _mean(_ratio(img_tp, img_tp + img_fp, 0.))
        mean_r = _mean(_ratio(img_tp, img_tp + img_fn, 0.))
        return dict(
            dataset_P=dataset_p,
            dataset_R=dataset_r,
            dataset_F=_harmonic(dataset_p, dataset_r),
            imagewise_P=mean_p,
            imagewise_R=mean_r,
            imagewise_F=_harmonic(mean_p, mean_r),
            fgIoU=tp / (tp + fp + fn) if tp + fp + fn else 0.,
            mean_image_P=_mean(scores['P']),
            mean_image_R=_mean(scores['R']),
            mean_image_F1=_mean(scores['F1']),
            num_images=float(len(counts)))

    def dump_path(self) -> str:
        """``dump_per_image`` with ``{log_dir}`` / ``{timestamp}`` filled.

        Returns:
            str: The path the next dump is written to.

        Raises:
            ValueError: If it uses ``{log_dir}`` but no logger of a runner
                has a log file.
        """
        log_file = getattr(MMLogger.get_current_instance(), 'log_file', None)
        fields = dict(timestamp=self._created)
        if log_file:
            fields['log_dir'] = osp.dirname(log_file)
            fields['timestamp'] = osp.splitext(osp.basename(log_file))[0]
        try:
            return self.dump_per_image.format(**fields)
        except KeyError as e:
            raise ValueError(
                f'dump_per_image={self.dump_per_image!r}: {{{e.args[0]}}} '
                'cannot be filled (only {log_dir} and {timestamp}; {log_dir} '
                'needs a runner, i.e. tools/train.py or tools/test.py)'
            ) from None

    def _dump(self, img_paths: List[Optional[str]], counts: np.ndarray,
              scores: Dict[str, np.ndarray], num_skipped: int) -> None:
        """Write the per-image scores to :meth:`dump_path` (JSON)."""
        images = [
            dict(
                img_path=path,
                TP=int(c[0]),
                FP=int(c[1]),
                FN=int(c[2]),
                P=float(p),
                R=float(r),
                F1=float(f1)) for path, c, p, r, f1 in zip(
                    img_paths, counts, scores['P'], scores['R'],
                    scores['F1'])
        ]
        content = dict(
            target=self.target,
            convention=MEAN_IMAGE_CONVENTION,
            ignore_index=self.ignore_index,
            num_skipped=num_skipped,
            images=images)
        path = self.dump_path()
        mkdir_or_exist(osp.dirname(osp.abspath(path)))
        with open(path, 'w') as f:
            json.dump(content, f, indent=1)
        print_log(f'per-image text segmentation scores written to {path}',
                  logger='current')


def _mean(values: np.ndarray) -> float:
    """Mean of ``values``, 0 for an empty array."""
    return float(values.mean()) if values.size else 0.


def load_per_image_f1(dump: DumpLike) -> Dict[str, float]:
    """Map ``img_path`` -> F1 from a :class:`TextPixelMetric` dump.

    Args:
        dump (str or dict): Path of the JSON dump, or its loaded content.

    Returns:
        dict[str, float]: The per-image F1 keyed by image path.

    Raises:
        ValueError: If an image path is missing or repeated.
    """
    if isinstance(dump, str):
        with open(dump) as f:
            dump = json.load(f)
    f1 = {image['img_path']: image['F1'] for image in dump['images']}
    if None in f1 or len(f1) != len(dump['images']):
        raise ValueError('a per-image dump needs a distinct img_path for '
                         'every image to be compared')
    return f1


def f1_top1_rates(dumps: Sequence[DumpLike]) -> List[float]:
    """MGNet's F1 Top-1 rate of each method (eq. 6 of the MGNet paper).

    The rate of method j is the share of images on which its F1 is the
    highest of all methods. Ties: an image where the best F1 is shared by
    several methods counts for none of them (so the rates may sum to less
    than 1); with two methods, A's rate is thus the share of images where A
    is strictly better than B.

    Args:
        dumps (Sequence[str or dict]): Per-image dumps of
            :class:`TextPixelMetric` (``dump_per_image``), one per method,
            all over the same images.

    Returns:
        list[float]: The rate of each method, in the order of ``dumps``.

    Raises:
        ValueError: If fewer than two dumps are given or they do not cover
            the same images.
    """
    if len(dumps) < 2:
        raise ValueError('the F1 Top-1 rate compares at least two methods')
    per_method = [load_per_image_f1(dump) for dump in dumps]
    images = sorted(per_method[0])
    if any(sorted(f1) != images for f1 in per_method[1:]):
        raise ValueError('the dumps do not cover the same images')
    if not images:
        return [0.] * len(dumps)
    f1 = np.array([[method[img] for img in images] for method in per_method])
    is_best = f1 == f1.max(0, keepdims=True)
    sole_best = is_best & (is_best.sum(0, keepdims=True) == 1)
    return sole_best.mean(1).tolist()


def f1_top1_rate(dump_a: DumpLike, dump_b: DumpLike) -> float:
    """Share of images where method A's F1 is strictly higher than B's.

    Ties count for neither method, so ``f1_top1_rate(a, b) +
    f1_top1_rate(b, a)`` is 1 minus the share of tied images.

    Args:
        dump_a (str or dict): Per-image dump of method A.
        dump_b (str or dict): Per-image dump of method B.

    Returns:
        float: A's F1 Top-1 rate against B, in [0, 1].
    """
    return f1_top1_rates([dump_a, dump_b])[0]
