"""Simulating partially labelled data for semi-supervised segmentation."""
import os.path as osp
import zlib
from typing import Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class HideAnnotationForSubset(BaseTransform):
    """Hide an annotation file for a fixed subset of the images.

    Used to train semi-supervised methods (MGNet) on fully annotated data
    as if only part of it had a given ground truth: for a fixed,
    deterministic share of the images (chosen by a hash of the image's file
    name and its folder, so the same images every epoch, in every worker and
    wherever the data set lies) the listed keys are
    set to None, which ``LoadTextMasks`` reads as "this image has no such
    mask". Run it before ``LoadTextMasks``.

    Required Keys:

    - img_path

    Modified Keys:

    - the keys in ``keys`` (set to None for the hidden subset)

    Args:
        keys (Sequence[str]): Annotation keys to hide, e.g.
            ``('pixel_mask_path',)``.
        hidden_fraction (float): Share of the images, in [0, 1], whose
            annotation is hidden. Defaults to 0.5.
        seed (int): Changes which images are chosen. Defaults to 0.
    """

    def __init__(self,
                 keys: Sequence[str] = ('pixel_mask_path', ),
                 hidden_fraction: float = 0.5,
                 seed: int = 0) -> None:
        if not 0.0 <= hidden_fraction <= 1.0:
            raise ValueError(
                f'hidden_fraction must be in [0, 1], got {hidden_fraction}')
        self.keys = tuple(keys)
        self.hidden_fraction = hidden_fraction
        self.seed = seed

    def is_hidden(self, img_path: str) -> bool:
        """Whether the image's annotation is hidden (deterministic)."""
        folder, name = osp.split(img_path)
        key = f'{self.seed}:{osp.basename(folder)}/{name}'
        digest = zlib.crc32(key.encode('utf-8'))
        return digest / 2**32 < self.hidden_fraction

    def transform(self, results: dict) -> dict:
        if self.is_hidden(results['img_path']):
            for key in self.keys:
                results[key] = None
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'hidden_fraction={self.hidden_fraction}, seed={self.seed})')


#: The two masks of a fully annotated sample: (mask key, flag key).
PIXEL_MASK = ('gt_pixel_mask', 'has_pixel_mask')
POLYGON_MASK = ('gt_polygon_mask', 'has_polygon_mask')


def _worker_entropy() -> Sequence[int]:
    """(rank, dataloader worker id) of the calling process, for seeding."""
    import torch.utils.data
    from mmengine.dist import get_rank
    info = torch.utils.data.get_worker_info()
    return (get_rank(), info.id if info is not None else -1)


@TRANSFORMS.register_module()
class RandomHideOneMask(BaseTransform):
    """Turn a sample carrying both masks into one of its single-mask data
    pairs: hide its pixel-level or its polygon-level mask at random.

    MGNet (TIP 2021, Sec. III-B) trains on data pairs
    :math:`\langle I, M_\kappa \rangle`, "each data pair contains ground
    truth pixel-level or polygon-level mask only", and its eq. 2 indicator
    :math:`l_\kappa` is defined per pair: SoftIoU applies to the branch
    whose mask the pair carries (eq. 1), the CRF loss to the other branch
    (eq. 4, weight :math:`1 - l_\kappa`). For TotalText and
    ICDAR-2013-WARP "both pixel-level and polygon-level masks are used",
    i.e. a fully annotated image is the source of two pairs,
    :math:`\langle I, M_T \rangle` and :math:`\langle I, M_P \rangle`.
    This transform draws one of them per loading: with probability ``prob``
    a sample that carries both masks loses one of them (the pixel mask with
    probability ``pixel_prob``, else the polygon mask). With the defaults
    (``prob=1``, ``pixel_prob=0.5``) every draw is one of the image's two
    pairs with equal chance, which is the uniform sampling of the set of
    pairs; the CRF loss then acts on one branch of every sample.
    ``prob < 1`` keeps a share of both-mask samples (no CRF loss on them).

    This reading (a draw per loading) was chosen over doubling the data
    list into pair items because it needs no change to datasets or samplers,
    works with every data set config (ConcatDataset, RepeatDataset) and keeps
    the image's augmentation independent of which mask it keeps; over
    training both pairs of every image are seen.

    A sample carrying one mask only (or none) is never changed, so the only
    mask of a sample is never hidden. The hidden mask is replaced by zeros
    and its flag set to False, exactly as ``LoadTextMasks`` leaves a mask
    an image does not have. Run it after ``LoadTextMasks`` and
    ``RasterizePolygonMask`` (which would otherwise rasterise a hidden
    polygon mask again from the word polygons); the word polygons and boxes
    stay, so crops around text and other consumers are unchanged.

    Randomness: with ``seed=None`` the draws come from numpy's global RNG,
    as in mmcv's random transforms, which mmengine seeds from the config's
    ``randomness.seed`` in the main process and, per dataloader worker, by
    its ``worker_init_fn``: the draws are deterministic per seed. With an
    integer ``seed`` the transform uses its own ``numpy.random.Generator``,
    seeded on its first draw in each process from ``(seed, rank, worker
    id)``, so that the dataloader workers do not repeat each other's draws
    and the global RNG stream of the other transforms is untouched.

    Required Keys:

    - gt_pixel_mask, gt_polygon_mask (np.uint8, HxW)
    - has_pixel_mask, has_polygon_mask (absent means False)

    Modified Keys:

    - gt_pixel_mask or gt_polygon_mask (the hidden one: all zeros)
    - has_pixel_mask or has_polygon_mask (the hidden one's: False)

    Args:
        prob (float): Probability, in [0, 1], that a sample carrying both
            masks loses one. Defaults to 1.0.
        pixel_prob (float): Probability, in [0, 1], that the hidden mask is
            the pixel-level one (else the polygon-level one). Defaults to
            0.5.
        seed (int, optional): Seed of the transform's own generator; None
            (default) uses numpy's global RNG.
    """

    def __init__(self,
                 prob: float = 1.0,
                 pixel_prob: float = 0.5,
                 seed: Optional[int] = None) -> None:
        for name, value in (('prob', prob), ('pixel_prob', pixel_prob)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f'{name} must be in [0, 1], got {value}')
        if seed is not None and (not isinstance(seed, int) or seed < 0):
            raise ValueError(
                f'seed must be None or a non-negative int, got {seed!r}')
        self.prob = prob
        self.pixel_prob = pixel_prob
        self.seed = seed
        self._rng: Optional[np.random.Generator] = None
        self._rng_owner: Optional[Sequence[int]] = None

    def _uniforms(self) -> np.ndarray:
        """Two uniform draws in [0, 1) from the configured generator."""
        if self.seed is None:
            return np.random.random_sample(2)
        owner = _worker_entropy()
        if self._rng is None or self._rng_owner != owner:
            # Each dataloader worker (and rank) gets its own stream.
            self._rng = np.random.default_rng(
                [self.seed, owner[0], owner[1] + 1])
            self._rng_owner = owner
        return self._rng.random(2)

    @cache_randomness
    def _choose(self) -> Optional[Sequence[str]]:
        """The mask to hide in a both-mask sample, or None.

        Both numbers are drawn for every sample, so the decisions depend on
        the seed and the draw count only, not on the data.
        """
        hide, which = self._uniforms()
        if hide >= self.prob:
            return None
        return PIXEL_MASK if which < self.pixel_prob else POLYGON_MASK

    def transform(self, results: dict) -> dict:
        """Hide one mask of a both-mask sample (see the class docstring).

        Args:
            results (dict): The results dict.

        Returns:
            dict: The results, with at most one mask hidden.
        """
        choice = self._choose()
        both = all(
            bool(results.get(flag)) for _, flag in (PIXEL_MASK, POLYGON_MASK))
        if choice is None or not both:
            return results
        mask_key, flag_key = choice
        if results.get(mask_key) is None:
            raise KeyError(
                f'{results.get("img_path", "<image>")}: {flag_key} is True '
                f'but the results hold no {mask_key}')
        results[mask_key] = np.zeros_like(results[mask_key])
        results[flag_key] = False
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'pixel_prob={self.pixel_prob}, seed={self.seed})')
