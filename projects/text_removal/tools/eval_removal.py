# Copyright (c) mmtextknow contributors. All rights reserved.
"""Score text removal on generated images against their clean backgrounds.

Every image of a generated dataset (``tools/dataset_converters/
generate_toy_data.py`` writes the clean backgrounds) is inpainted with
each mask source (``pred``: a text segmentation model's pixel mask,
``gt``: the ground-truth glyph pixels, ``polygon``: the filled ground-truth
word polygons) at each dilation, and scored by :class:`TextRemovalMetric`
(PSNR, SSIM over the whole image; MSE over the ground-truth glyph pixels
and over the word polygons). The input image itself (no removal) is scored
too, as the reference. Also printed per row: the fraction of ground-truth
glyph pixels inside the dilated mask (``cover``) and the fraction of the
image inpainted (``area``).

Example::

    python projects/text_removal/tools/eval_removal.py data/toy_removal \\
        --masks pred gt polygon --dilation 0 2 4 \\
        --seg-config configs/textseg/fcn/fcn_resnet18_8e_toy.py \\
        --seg-weights work_dirs/fcn_resnet18_8e_toy/epoch_8.pth
"""
import sys
from pathlib import Path

# This clone's mmtextknow and projects/, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import argparse
import json
import math
import os
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        description='Inpaint the text of generated images with predicted, '
        'ground-truth pixel and word-polygon masks and score the results '
        'against the clean backgrounds (PSNR, SSIM, MSE in the text).')
    parser.add_argument(
        'data_root', help='dataset written by generate_toy_data.py')
    parser.add_argument(
        '--ann-file',
        default='textdet_test.json',
        help='annotation file under DATA_ROOT; default: %(default)s')
    parser.add_argument(
        '--max-images',
        type=int,
        default=None,
        help='score only the first N images')
    parser.add_argument(
        '--masks',
        nargs='+',
        default=['gt', 'polygon'],
        choices=['pred', 'gt', 'polygon'],
        help='mask sources; pred needs --seg-config; default: gt polygon')
    parser.add_argument(
        '--seg-config', help='text segmentation config (mask source pred)')
    parser.add_argument(
        '--seg-weights', help='its checkpoint (mask source pred)')
    parser.add_argument(
        '--device', default=None, help='device of the segmentation model')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=4,
        help='segmentation batch size; default: %(default)s')
    parser.add_argument(
        '--method',
        default='telea',
        choices=['telea', 'ns'],
        help='cv2.inpaint method; default: %(default)s')
    parser.add_argument(
        '--radius',
        type=float,
        default=3.0,
        help='cv2.inpaint radius in pixels; default: %(default)s')
    parser.add_argument(
        '--dilation',
        type=int,
        nargs='+',
        default=[2],
        help='mask dilations in pixels, one row each; default: 2')
    parser.add_argument(
        '--out-dir',
        help='write removal_scores.json and the text-free images '
        '(OUT_DIR/<source>_d<dilation>/<name>.png) here')
    return parser.parse_args(argv)


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import cv2
import numpy as np

from mmtextknow.utils import DataError, run_cli
from projects.text_removal.text_removal import (TextRemovalMetric,
                                                 dilate_mask,
                                                 load_removal_items,
                                                 mask_of, predict_text_masks,
                                                 remove_text)
from projects.text_removal.text_removal.mask_sources import \
    GeneratedRemovalItem

#: Columns of the printed table and of the JSON rows.
SCORE_KEYS = ('PSNR', 'SSIM', 'text_MSE', 'word_MSE')


def score_rows(items: Sequence[GeneratedRemovalItem],
               masks: Dict[str, List[np.ndarray]],
               dilations: Sequence[int],
               method: str = 'telea',
               radius: float = 3.0,
               out_dir: Optional[str] = None) -> List[dict]:
    """Inpaint and score every image for every mask source and dilation.

    Args:
        items (Sequence[GeneratedRemovalItem]): The images.
        masks (dict[str, list[np.ndarray]]): ``source -> one (H, W) mask
            per item`` (undilated).
        dilations (Sequence[int]): Mask dilations in pixels.
        method (str): The ``cv2.inpaint`` method. Defaults to 'telea'.
        radius (float): The ``cv2.inpaint`` radius. Defaults to 3.
        out_dir (str, optional): Where the text-free images go.

    Returns:
        list[dict]: One row per (source, dilation), first the input image
        (``source='input'``, no removal): ``source``, ``dilation``, the
        metric's keys (:data:`SCORE_KEYS`), ``cover`` (fraction of
        ground-truth glyph pixels inside the dilated masks) and ``area``
        (fraction of all pixels inpainted).
    """
    runs = [('input', None, None)] + [(source, d, masks[source])
                                      for source in masks for d in dilations]
    rows = []
    for source, dilation, source_masks in runs:
        metric = TextRemovalMetric()
        covered = text = area = pixels = 0
        for index, item in enumerate(items):
            if source_masks is None:
                region = np.zeros(item.gt_text_mask.shape, bool)
                pred = item.image
            else:
                region = dilate_mask(source_masks[index], dilation)
                pred = remove_text(item.image, region, method, 0, radius)
            metric.process([], [
                dict(
                    pred_img=pred,
                    gt_background=item.background,
                    gt_text_mask=item.gt_text_mask,
                    gt_word_mask=item.gt_word_mask)
            ])
            covered += int((region & item.gt_text_mask).sum())
            text += int(item.gt_text_mask.sum())
            area += int(region.sum())
            pixels += region.size
            if out_dir and source_masks is not None:
                path = osp.join(out_dir, f'{source}_d{dilation}',
                                osp.basename(item.img_path))
                os.makedirs(osp.dirname(path), exist_ok=True)
                cv2.imwrite(osp.splitext(path)[0] + '.png', pred)
        scores = metric.compute_metrics(metric.results)
        rows.append(
            dict(
                source=source,
                dilation=dilation,
                **{key: scores[key]
                   for key in SCORE_KEYS},
                cover=covered / text if text else float('nan'),
                area=area / pixels))
    return rows


def format_table(rows: Sequence[dict]) -> str:
    """The rows as a Markdown table."""

    def fmt(value: float, digits: int) -> str:
        return 'inf' if math.isinf(value) else f'{value:.{digits}f}'

    lines = [
        '| mask | dilation | PSNR (dB) | SSIM | MSE in glyphs | '
        'MSE in words | cover | area |', '|---|---|---|---|---|---|---|---|'
    ]
    for row in rows:
        lines.append(
            f"| {row['source']} | "
            f"{'-' if row['dilation'] is None else row['dilation']} | "
            f"{fmt(row['PSNR'], 2)} | {fmt(row['SSIM'], 4)} | "
            f"{fmt(row['text_MSE'], 1)} | {fmt(row['word_MSE'], 1)} | "
            f"{row['cover']:.3f} | {row['area']:.4f} |")
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    """Score text removal and print the table (see the module docstring).

    Args:
        argv (list[str], optional): Arguments; defaults to ``sys.argv[1:]``.
    """
    args = parse_args(argv)
    if 'pred' in args.masks and not args.seg_config:
        sys.exit('error: mask source pred needs --seg-config (and '
                 '--seg-weights)')
    if min(args.dilation) < 0:
        sys.exit('error: --dilation values must be >= 0')
    if not args.radius > 0:
        sys.exit('error: --radius must be > 0')
    start = time.perf_counter()
    items = load_removal_items(args.data_root, args.ann_file,
                               args.max_images)
    if not items:
        raise DataError(f'{osp.join(args.data_root, args.ann_file)}: no '
                        'image to score')
    masks = {}
    for source in dict.fromkeys(args.masks):
        if source == 'pred':
            masks[source] = predict_text_masks(
                [item.img_path for item in items], args.seg_config,
                args.seg_weights, args.device, args.batch_size)
        else:
            masks[source] = [mask_of(item, source) for item in items]
    rows = score_rows(items, masks, args.dilation, args.method, args.radius,
                      args.out_dir)
    seconds = time.perf_counter() - start
    print(f'{len(items)} images of {osp.join(args.data_root, args.ann_file)}'
          f', cv2.inpaint {args.method} radius {args.radius:g}, '
          f'{seconds:.1f} s')
    print(format_table(rows))
    if args.out_dir:
        os.makedirs(args.out_dir, exist_ok=True)
        path = osp.join(args.out_dir, 'removal_scores.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(
                dict(
                    data_root=args.data_root,
                    ann_file=args.ann_file,
                    num_images=len(items),
                    method=args.method,
                    radius=args.radius,
                    seg_config=args.seg_config,
                    seg_weights=args.seg_weights,
                    rows=rows),
                f,
                indent=1)
        print(f'scores and text-free images written to {args.out_dir}')


if __name__ == '__main__':
    run_cli(main)
