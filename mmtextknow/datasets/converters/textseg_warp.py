# Copyright (c) mmtextknow contributors. All rights reserved.
"""Randomly warp a segmentation dataset (ICDAR-2013-WARP).

MGNet evaluates on ICDAR 2013 with every image randomly warped so that the
axis-aligned word boxes become non-trivial polygons. The paper does not
give the warp; ours is a smooth, exactly invertible map ``F = S_x . S_y . P``
(applied right to left) from source to output pixel coordinates (pixel
centres at integers, as ``cv2.remap`` and ``cv2.fillPoly`` use them):

- ``P``: a random perspective that maps the image corners to corners moved
  INWARD by ``margin + U(0, perspective) * size`` each (so nothing leaves
  the canvas, the output keeps the input's size and the uncovered border
  is black / background);
- ``S_y``: ``y += a_y * sin(2 pi x / period_x + phase_y)``, which bends
  horizontal text lines;
- ``S_x``: ``x += a_x * sin(2 pi y / period_y + phase_x)``, a mild
  horizontal wave;

with ``a_x, a_y ~ amplitude * min(h, w) * U(0.5, 1)``, periods
``~ U(0.6, 1.5) * (w or h)``, phases ``~ U(0, 2 pi)``. Each shear moves
one coordinate by a function of the other, so ``F^-1`` is closed form and
the output image is ``cv2.remap(image, F^-1)`` (bilinear), the pixel mask
``cv2.remap(mask, F^-1)`` (nearest, which rounds the mapped coordinate: the
pixel-centre convention of the bilinear remap): the SAME map, so they stay
aligned; the mask's file values, don't care (127) included, are kept.
Word polygons are first densified to ``num_points`` points (extra points
spread over the edges in proportion to their length, e.g. a 4-point box
with 8 points gets 2 extra points on each long edge) and then mapped by
``F``, so their curvature shows. Polygon masks are rendered from the
warped polygons.

Each image's warp comes from ``numpy.random.default_rng([seed,
crc32(img_path)])``, so the same seed gives the same bytes and an image's
warp does not depend on the others; the parameters are stored in the item
under ``warp``.
"""
import zlib
from functools import partial
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import cv2
import numpy as np

from mmtextknow.utils import DataError
from .textseg import (PathLike, SegSample, SkipSample, TextSegReport,
                      build_instances, convert_samples, image_hw,
                      load_json_object, load_pixel_mask, stored_mask_values,
                      to_file_values)


@dataclass
class SmoothWarp:
    """Perspective followed by two sinusoidal shears (see module doc).

    Attributes:
        homography (list[list[float]]): 3x3 source -> intermediate matrix.
        amp_y (float): Amplitude of the vertical wave (pixels).
        period_x (float): Its period along x (pixels).
        phase_y (float): Its phase (radians).
        amp_x (float): Amplitude of the horizontal wave (pixels).
        period_y (float): Its period along y (pixels).
        phase_x (float): Its phase (radians).
    """
    homography: List[List[float]]
    amp_y: float
    period_x: float
    phase_y: float
    amp_x: float
    period_y: float
    phase_x: float

    def forward(self, points: np.ndarray) -> np.ndarray:
        """Map source points to output points.

        Args:
            points (np.ndarray): Source ``(x, y)`` points, shape (N, 2).

        Returns:
            np.ndarray: Output points, shape (N, 2), float64.
        """
        pts = _apply_homography(np.asarray(self.homography), points)
        x, y = pts[:, 0], pts[:, 1]
        y = y + self.amp_y * np.sin(2 * np.pi * x / self.period_x +
                                    self.phase_y)
        x = x + self.amp_x * np.sin(2 * np.pi * y / self.period_y +
                                    self.phase_x)
        return np.stack([x, y], axis=1)

    def inverse_maps(self, height: int,
                     width: int) -> Tuple[np.ndarray, np.ndarray]:
        """Source coordinates of every output pixel, for ``cv2.remap``.

        Args:
            height (int): Output height.
            width (int): Output width.

        Returns:
            tuple[np.ndarray, np.ndarray]: ``map_x``, ``map_y``, float32,
            shape (height, width).
        """
        y, x = np.mgrid[0:height, 0:width].astype(np.float64)
        x = x - self.amp_x * np.sin(2 * np.pi * y / self.period_y +
                                    self.phase_x)
        y = y - self.amp_y * np.sin(2 * np.pi * x / self.period_x +
                                    self.phase_y)
        src = _apply_homography(
            np.linalg.inv(np.asarray(self.homography)),
            np.stack([x.ravel(), y.ravel()], axis=1))
        return (src[:, 0].reshape(height, width).astype(np.float32),
                src[:, 1].reshape(height, width).astype(np.float32))


def _apply_homography(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Apply a 3x3 homography to (N, 2) points."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    projected = pts @ matrix[:, :2].T + matrix[:, 2]
    return projected[:, :2] / projected[:, 2:3]


def sample_warp(rng: np.random.Generator,
                height: int,
                width: int,
                perspective: float = 0.1,
                amplitude: float = 0.02) -> SmoothWarp:
    """Draw a random :class:`SmoothWarp` that keeps the image in its canvas.

    Args:
        rng (np.random.Generator): The random generator.
        height (int): Image height.
        width (int): Image width.
        perspective (float): Largest inward corner shift beyond the margin,
            as a fraction of the image size. Defaults to 0.1.
        amplitude (float): Largest wave amplitude, as a fraction of
            ``min(h, w)``. Defaults to 0.02.

    Returns:
        SmoothWarp: The warp.
    """
    size = min(height, width)
    amp_y, amp_x = amplitude * size * rng.uniform(0.5, 1.0, 2)
    period_x, period_y = rng.uniform(0.6, 1.5, 2) * (width, height)
    phase_y, phase_x = rng.uniform(0, 2 * np.pi, 2)
    inward = rng.uniform(0, perspective, (4, 2)) * (width, height)
    inward += (amp_x + 1, amp_y + 1)
    corners = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]],
        dtype=np.float64)
    signs = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    homography = cv2.getPerspectiveTransform(
        corners.astype(np.float32),
        (corners + signs * inward).astype(np.float32))
    return SmoothWarp(homography.tolist(), float(amp_y), float(period_x),
                      float(phase_y), float(amp_x), float(period_y),
                      float(phase_x))


def densify_polygon(polygon: np.ndarray, num_points: int) -> np.ndarray:
    """Add points along the edges of a closed polygon.

    ``num_points - n`` points are spread over the ``n`` edges in proportion
    to their length (largest remainders first), evenly spaced on each edge.
    A polygon with ``num_points`` or more points is returned unchanged.

    Args:
        polygon (np.ndarray): Points, shape (n, 2).
        num_points (int): Wanted number of points.

    Returns:
        np.ndarray: Points, shape (max(n, num_points), 2), the original
        vertices in order with the new points between them.
    """
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    n = len(pts)
    if n >= num_points:
        return pts
    ends = np.roll(pts, -1, axis=0)
    lengths = np.linalg.norm(ends - pts, axis=1)
    share = (num_points - n) * lengths / max(lengths.sum(), 1e-12)
    extra = np.floor(share).astype(int)
    rest = num_points - n - extra.sum()
    extra[np.argsort(extra - share, kind='stable')[:rest]] += 1
    per_edge = extra + 1  # the edge's start vertex and its extra points
    edge = np.repeat(np.arange(n), per_edge)
    step = np.arange(per_edge.sum()) - np.repeat(
        np.cumsum(per_edge) - per_edge, per_edge)
    t = (step / np.repeat(per_edge, per_edge))[:, None]
    return pts[edge] + t * (ends[edge] - pts[edge])


def warp_polygon(polygon: List[float], warp: SmoothWarp,
                 num_points: int) -> List[float]:
    """Densify then warp a flat polygon.

    Args:
        polygon (list[float]): ``[x1, y1, x2, y2, ...]``.
        warp (SmoothWarp): The warp.
        num_points (int): Points of the output polygon (at least).

    Returns:
        list[float]: The warped flat polygon, rounded to 0.01 px.
    """
    warped = warp.forward(densify_polygon(np.asarray(polygon), num_points))
    return [round(float(v), 2) for v in warped.ravel()]


def warp_image_and_mask(
        warp: SmoothWarp, image: np.ndarray,
        mask: Optional[np.ndarray]) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Warp an image (bilinear) and its mask (nearest) by the same map.

    Pixels that come from outside the source are 0 in both (background in
    the mask).

    Args:
        warp (SmoothWarp): The warp.
        image (np.ndarray): The image, (h, w) or (h, w, c).
        mask (np.ndarray, optional): Boolean mask or file values
            (0 / 255 / 127 ignore), (h, w).

    Returns:
        tuple: The warped image (same dtype and size) and the warped mask
        as uint8 file values (None without mask).
    """
    map_x, map_y = warp.inverse_maps(*image.shape[:2])
    remap = partial(
        cv2.remap,
        map1=map_x,
        map2=map_y,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=0)
    warped = remap(image, interpolation=cv2.INTER_LINEAR)
    if mask is None:
        return warped, None
    return warped, remap(
        to_file_values(mask), interpolation=cv2.INTER_NEAREST)


@dataclass
class WarpOptions:
    """Options of :func:`warp_textseg_dataset`.

    Attributes:
        seed (int): Random seed. Defaults to 0.
        perspective (float): See :func:`sample_warp`. Defaults to 0.1.
        amplitude (float): See :func:`sample_warp`. Defaults to 0.02.
        num_points (int): Points of each output polygon (4-point boxes
            become ``num_points``-point polygons). Defaults to 8.
        jpeg_quality (int): Quality of warped ``.jpg`` images.
            Defaults to 95.
    """
    seed: int = 0
    perspective: float = 0.1
    amplitude: float = 0.02
    num_points: int = 8
    jpeg_quality: int = 95

    def check(self) -> None:
        """Raise ``ValueError`` on an option out of range."""
        if self.seed < 0 or self.num_points < 4:
            raise ValueError('seed must be >= 0 and num_points >= 4, got '
                             f'{self.seed}, {self.num_points}')
        if not (0 <= self.perspective < 0.4 and 0 <= self.amplitude < 0.1):
            raise ValueError('perspective must be in [0, 0.4) and amplitude '
                             f'in [0, 0.1), got {self.perspective}, '
                             f'{self.amplitude}')
        if not 1 <= self.jpeg_quality <= 100:
            raise ValueError(f'jpeg_quality must be in [1, 100], got '
                             f'{self.jpeg_quality}')


def _write_image(image: np.ndarray, path: Path, jpeg_quality: int) -> None:
    """Write an image with cv2 (JPEG quality for ``.jpg`` / ``.jpeg``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    params = ([cv2.IMWRITE_JPEG_QUALITY, jpeg_quality]
              if path.suffix.lower() in ('.jpg', '.jpeg') else [])
    if not cv2.imwrite(str(path), image, params):
        raise OSError(f'{path}: cv2 could not write the image')


@dataclass
class _ItemWarper:
    """Warps one item of the input JSON into a :class:`SegSample`.

    Attributes:
        items (list): ``data_list`` of the input JSON.
        ann_file (Path): The input JSON, for messages.
        data_root (Path): Root of the input paths.
        out_root (Path): Output dataset root.
        split (str): Output split name.
        options (WarpOptions): Warp options.
        written (set[Path]): Output images written so far.
    """
    items: list
    ann_file: Path
    data_root: Path
    out_root: Path
    split: str
    options: WarpOptions
    written: Set[Path] = field(default_factory=set)

    def __call__(self, index: int, report: TextSegReport) -> SegSample:
        item = self.items[index]
        rel_img = item.get('img_path') if isinstance(item, dict) else None
        if not isinstance(rel_img, str) or not isinstance(
                item.get('instances', []), list):
            raise SkipSample(
                'malformed_annotation',
                f'{self.ann_file}, data_list[{index}]: expected an object '
                'with "img_path" and an "instances" list')
        img_path = self.data_root / rel_img
        image, pixel = self._read(item, img_path)
        rng = np.random.default_rng(
            [self.options.seed,
             zlib.crc32(rel_img.encode('utf-8'))])
        warp = sample_warp(rng, *image.shape[:2], self.options.perspective,
                           self.options.amplitude)
        out_img = self._claim_output(img_path)
        image, pixel = warp_image_and_mask(warp, image, pixel)
        _write_image(image, out_img, self.options.jpeg_quality)
        return SegSample(
            out_img,
            img_path.stem,
            self._instances(item, warp, f'{self.ann_file}, item {rel_img}',
                            report),
            pixel_mask=pixel,
            extra=dict(warp=asdict(warp)))

    def _read(self, item: dict,
              img_path: Path) -> Tuple[np.ndarray, Optional[np.ndarray]]:
        """The item's BGR image and pixel mask file values (None if
        absent)."""
        img_hw = image_hw(img_path)
        image = cv2.imread(str(img_path), cv2.IMREAD_COLOR)
        if image is None:
            raise SkipSample('corrupt_image', f'{img_path}: cv2 cannot read '
                             'the image')
        rel_mask = item.get('pixel_mask_path')
        if not rel_mask:
            return image, None
        return image, load_pixel_mask(self.data_root / rel_mask,
                                      stored_mask_values, img_path, img_hw)

    def _claim_output(self, img_path: Path) -> Path:
        """Output path of an image; a skip if another image took it."""
        out_img = self.out_root / 'imgs' / self.split / img_path.name
        if out_img in self.written:
            raise SkipSample(
                'malformed_annotation', f'{img_path}: another image of the '
                f'input has the same file name (output {out_img})')
        self.written.add(out_img)
        return out_img

    def _instances(self, item: dict, warp: SmoothWarp, source: str,
                   report: TextSegReport) -> List[dict]:
        """Warped, checked instances of an item."""
        words = []
        for inst in item.get('instances', []):
            try:
                polygon = np.asarray(inst['polygon'], dtype=np.float64)
                if polygon.ndim != 1 or polygon.size % 2:
                    raise ValueError('not a flat list of x, y pairs')
                words.append(
                    (warp_polygon(polygon, warp, self.options.num_points),
                     str(inst.get('text',
                                  '')), bool(inst.get('ignore', False))))
            except (TypeError, KeyError, ValueError) as e:
                report.count('malformed_annotation',
                             f'{source}: bad instance ({e!r})')
        return build_instances(words, source, report)


def split_of(ann_file: PathLike) -> str:
    """Split name of ``textseg_{split}.json`` (else the file's stem).

    Args:
        ann_file (str or PathLike): The annotation file.

    Returns:
        str: The split name.
    """
    stem = Path(ann_file).stem
    return stem[len('textseg_'):] if stem.startswith('textseg_') and \
        len(stem) > len('textseg_') else stem


def warp_textseg_dataset(ann_file: PathLike,
                         out_root: PathLike,
                         *,
                         data_root: Optional[PathLike] = None,
                         split: Optional[str] = None,
                         options: Optional[WarpOptions] = None,
                         **kwargs) -> TextSegReport:
    """Warp every image, pixel mask and word polygon of a segmentation set.

    Writes ``imgs/{split}/{image file name}``, ``masks/pixel/{split}/`` and
    ``masks/polygon/{split}/`` PNGs and ``textseg_{split}.json`` under
    ``out_root`` (see the module docstring for the warp).

    Args:
        ann_file (str or PathLike): Input JSON in our segmentation format
            (e.g. from :func:`convert_icdar2013`).
        out_root (str or PathLike): Output dataset root (must differ from
            the input root).
        data_root (str or PathLike, optional): Root of the input paths.
            Defaults to the directory of ``ann_file``.
        split (str, optional): Output split name. Defaults to
            :func:`split_of` ``(ann_file)``.
        options (WarpOptions, optional): Seed and warp strength.
        **kwargs: ``polygon_masks``, ``fill_ignored``, ``strict`` of
            :func:`~mmtextknow.datasets.converters.textseg.convert_samples`.

    Returns:
        TextSegReport: Counters and skipped items.

    Raises:
        DataError: On an unreadable input JSON, in strict mode, or if
            nothing could be converted.
        ValueError: On invalid options or ``out_root == data_root``.
    """
    ann_file = Path(ann_file)
    data_root = Path(data_root) if data_root is not None else ann_file.parent
    out_root = Path(out_root)
    if out_root.resolve() == data_root.resolve():
        raise ValueError(f'out_root must differ from the input data root '
                         f'{data_root}')
    options = options or WarpOptions()
    options.check()
    split = split or split_of(ann_file)
    items = _data_list(ann_file)
    warper = _ItemWarper(items, ann_file, data_root, out_root, split, options)
    metainfo: Dict[str, dict] = dict(
        warp=dict(asdict(options), source=ann_file.name))
    return convert_samples(
        range(len(items)),
        warper,
        out_root,
        split,
        extra_metainfo=metainfo,
        **kwargs)


def _data_list(ann_file: Path) -> list:
    """``data_list`` of an OCRDataset JSON, or a ``DataError``."""
    content = load_json_object(ann_file, 'annotation file')
    if not isinstance(content.get('data_list'), list):
        raise DataError(f'{ann_file}: no "data_list" list (MMOCR OCRDataset '
                        'format)')
    return content['data_list']


__all__ = [
    'SmoothWarp', 'WarpOptions', 'densify_polygon', 'sample_warp', 'split_of',
    'warp_polygon', 'warp_textseg_dataset'
]
