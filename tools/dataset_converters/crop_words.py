# Copyright (c) mmtextknow contributors. All rights reserved.
"""Cut word crops out of a text detection set: an MMOCR textrecog JSON.

Reads an MMOCR 1.x text detection annotation file (``data_list`` items with
``img_path`` relative to ``DATA_ROOT`` and ``instances`` with ``bbox``
``[x1, y1, x2, y2]``, ``ignore`` and ``text``) and writes one image per
word -- its axis-aligned box (the polygon's bounds when there is no
``bbox``), grown by a margin and clipped to the image -- under
``DATA_ROOT/crops/SPLIT/``, plus an MMOCR textrecog annotation file
(``img_path`` relative to ``DATA_ROOT``).

With ``--with-masks`` the same box is also cut out of each image's
pixel-level text mask (its ``pixel_mask_path``, as the toy-data generator
writes it) into ``DATA_ROOT/crop_masks/pixel/SPLIT/`` under the crop's
name, and the crop's item gets ``pixel_mask_path`` (relative to
``DATA_ROOT``). The mask values are copied as they are (PNG), so the same
input always gives byte-identical mask crops. An item without
``pixel_mask_path``, or whose mask file is missing, unreadable or not the
image's size, is an error naming the file.

Words are skipped, counted by reason and reported, never silently: ignored
words, words with an empty text, and boxes with no area inside the image.
A missing or unreadable image or annotation file is an error
(``error: <file>: <problem>``, exit status 1).

Example::

    python tools/dataset_converters/crop_words.py data/toy_scenetext \\
        textdet_train.json textrecog_train.json
    python tools/dataset_converters/crop_words.py data/toy_scenetext \\
        textdet_test.json textrecog_test.json

writes ``data/toy_scenetext/crops/{train,test}/*.png`` and
``data/toy_scenetext/textrecog_{train,test}.json`` (add ``--with-masks``
for ``data/toy_scenetext/crop_masks/pixel/{train,test}/*.png`` too).
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import json
import math
import re
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

from PIL import Image


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` (default: ``sys.argv[1:]``) into converter options."""
    parser = argparse.ArgumentParser(
        description='Cut the words of an MMOCR text detection annotation '
        'file into crops and write an MMOCR text recognition annotation '
        'file.',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='Ignored words, empty texts and boxes with no area inside '
        'the image are skipped and counted; a missing or unreadable image '
        'is an error.')
    parser.add_argument(
        'data_root',
        help='dataset root: img_path in both files is relative to it')
    parser.add_argument(
        'in_json',
        help='text detection annotation file, relative to '
        'DATA_ROOT (or absolute)')
    parser.add_argument(
        'out_json',
        help='text recognition annotation file to write, '
        'relative to DATA_ROOT (or absolute)')
    parser.add_argument(
        '--split',
        default=None,
        help='crops go to DATA_ROOT/crops/SPLIT/; default: IN_JSON\'s name '
        'without "textdet_" and ".json" (textdet_train.json -> train)')
    parser.add_argument(
        '--margin',
        type=float,
        default=0.1,
        help='added on every side of a box, as a fraction of the box '
        'height; default: %(default)s')
    parser.add_argument(
        '--with-masks',
        action='store_true',
        help='also crop each image\'s pixel-level text mask '
        '(pixel_mask_path) into DATA_ROOT/crop_masks/pixel/SPLIT/ and '
        'name it in the crop\'s item (pixel_mask_path)')
    args = parser.parse_args(argv)
    if not (args.margin >= 0 and math.isfinite(args.margin)):
        parser.error(f'--margin must be >= 0, got {args.margin}')
    return args


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

from mmtextknow.utils import DataError, run_cli, track

#: ``metainfo`` of a text recognition (``TextRecogDataset``) file.
TEXTRECOG_METAINFO = {
    'dataset_type': 'TextRecogDataset',
    'task_name': 'textrecog'
}

SKIP_IGNORED = 'ignored'
SKIP_EMPTY_TEXT = 'empty text'
SKIP_DEGENERATE = 'no area inside the image'

#: Folder (under the dataset root) of the mask crops of a split.
MASK_CROP_DIR = 'crop_masks/pixel'


def default_split(in_json: str) -> str:
    """Split name from a detection file name (``textdet_train.json`` ->
    ``train``)."""
    stem = Path(in_json).stem
    return re.sub(r'^textdet_', '', stem) or stem


def crop_box(bbox: Sequence[float], img_size: Tuple[int, int],
             margin: float) -> Optional[Tuple[int, int, int, int]]:
    """Integer crop box of a word, grown by a margin and clipped.

    Args:
        bbox (Sequence[float]): ``[x1, y1, x2, y2]`` in pixels.
        img_size (tuple[int, int]): ``(width, height)`` of the image.
        margin (float): Added on every side, as a fraction of the box's
            height.

    Returns:
        tuple[int, int, int, int] or None: ``(left, top, right, bottom)``
        (right/bottom exclusive), or None when the box has no area inside
        the image.
    """
    x1, y1, x2, y2 = (float(v) for v in bbox)
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)) or \
            x2 <= x1 or y2 <= y1:
        return None
    pad = margin * (y2 - y1)
    width, height = img_size
    left = max(0, math.floor(x1 - pad))
    top = max(0, math.floor(y1 - pad))
    right = min(width, math.ceil(x2 + pad))
    bottom = min(height, math.ceil(y2 + pad))
    if right <= left or bottom <= top:
        return None
    return left, top, right, bottom


def _instance_bbox(instance: dict) -> Optional[List[float]]:
    """The instance's ``bbox``, or its polygon's bounds."""
    if instance.get('bbox') is not None:
        return list(instance['bbox'])
    polygon = instance.get('polygon')
    if not polygon or len(polygon) < 6:
        return None
    xs, ys = polygon[0::2], polygon[1::2]
    return [min(xs), min(ys), max(xs), max(ys)]


def _load_json(path: Path) -> dict:
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except FileNotFoundError:
        raise DataError(f'{path}: annotation file not found')
    except (OSError, ValueError) as e:
        raise DataError(f'{path}: not a readable JSON file ({e})')
    if not isinstance(data, dict) or not isinstance(
            data.get('data_list'), list):
        raise DataError(f'{path}: no "data_list" list: not an MMOCR '
                        'annotation file')
    return data


def _open_image(path: Path) -> Image.Image:
    if not path.is_file():
        raise DataError(f'{path}: image not found')
    try:
        with Image.open(path) as img:
            img.load()
            return img.convert('RGB')
    except (OSError, ValueError) as e:
        raise DataError(f'{path}: cannot read image ({e})')


def _open_mask(path: Path, img_path: Path,
               img_size: Tuple[int, int]) -> Image.Image:
    """The mask image as stored (grey or palette values kept)."""
    if not path.is_file():
        raise DataError(f'{path}: pixel mask not found (image {img_path})')
    try:
        with Image.open(path) as mask:
            mask.load()
    except (OSError, ValueError) as e:
        raise DataError(f'{path}: cannot read pixel mask ({e})')
    if mask.size != img_size:
        raise DataError(
            f'{path}: mask size {mask.size[0]}x{mask.size[1]} differs from '
            f'its image {img_path} ({img_size[0]}x{img_size[1]})')
    return mask


def crop_words(data_root: str,
               in_json: str,
               out_json: str,
               split: Optional[str] = None,
               margin: float = 0.1,
               with_masks: bool = False) -> Dict:
    """Cut the words of a detection set into crops and write their labels.

    Args:
        data_root (str): Dataset root; ``img_path`` in both annotation files
            is relative to it.
        in_json (str): Text detection annotation file (relative to
            ``data_root`` unless absolute).
        out_json (str): Text recognition annotation file to write (relative
            to ``data_root`` unless absolute).
        split (str, optional): Crops go to ``data_root/crops/<split>/``.
            Defaults to :func:`default_split` of ``in_json``.
        margin (float): Box margin, a fraction of the box height. Defaults
            to 0.1.
        with_masks (bool): Also cut each word's box out of its image's
            ``pixel_mask_path`` into ``data_root/crop_masks/pixel/<split>/``
            and name it in the word's item. Defaults to False.

    Returns:
        dict: ``num_images``, ``num_crops``, ``skipped`` (a
        :class:`~collections.Counter` of skip reasons) and ``out_json``
        (the written path).

    Raises:
        DataError: Missing or unreadable annotation file or image; with
            ``with_masks``, an item without ``pixel_mask_path`` or a missing,
            unreadable or wrongly sized mask.
    """
    root = Path(data_root)
    in_path = root / in_json
    out_path = root / out_json
    split = split or default_split(in_json)
    crop_dir = root / 'crops' / split
    data = _load_json(in_path)

    crop_dir.mkdir(parents=True, exist_ok=True)
    mask_dir = root / MASK_CROP_DIR / split
    if with_masks:
        mask_dir.mkdir(parents=True, exist_ok=True)
    data_list, skipped = [], Counter()
    for item in track(data['data_list'], len(data['data_list']), step=10):
        img_rel = item.get('img_path')
        if not isinstance(img_rel, str):
            raise DataError(f'{in_path}: a data_list item has no img_path')
        words = []
        for instance in item.get('instances', []):
            text = str(instance.get('text') or '').strip()
            if instance.get('ignore', False):
                skipped[SKIP_IGNORED] += 1
            elif not text:
                skipped[SKIP_EMPTY_TEXT] += 1
            else:
                words.append((instance, text))
        if not words:
            continue
        img = _open_image(root / img_rel)
        mask = None
        if with_masks:
            mask_rel = item.get('pixel_mask_path')
            if not isinstance(mask_rel, str) or not mask_rel:
                raise DataError(f'{in_path}: {img_rel} has no '
                                'pixel_mask_path (needed by --with-masks)')
            mask = _open_mask(root / mask_rel, root / img_rel, img.size)
        stem = Path(img_rel).with_suffix('').as_posix().replace('/', '_')
        for index, (instance, text) in enumerate(words):
            bbox = _instance_bbox(instance)
            box = crop_box(bbox, img.size, margin) if bbox else None
            if box is None:
                skipped[SKIP_DEGENERATE] += 1
                continue
            name = f'{stem}_{index}.png'
            img.crop(box).save(crop_dir / name)
            crop_item = dict(
                img_path=(crop_dir / name).relative_to(root).as_posix(),
                instances=[dict(text=text)])
            if mask is not None:
                mask.crop(box).save(mask_dir / name, format='PNG')
                crop_item['pixel_mask_path'] = (
                    mask_dir / name).relative_to(root).as_posix()
            data_list.append(crop_item)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, 'w', encoding='utf-8') as f:
        json.dump(
            dict(metainfo=dict(TEXTRECOG_METAINFO), data_list=data_list),
            f,
            ensure_ascii=False)
    return dict(
        num_images=len(data['data_list']),
        num_crops=len(data_list),
        skipped=skipped,
        out_json=out_path)


def summary(report: Dict) -> str:
    """One line per count of a :func:`crop_words` report."""
    lines = [
        f'images: {report["num_images"]}',
        f'word crops written: {report["num_crops"]}'
    ]
    total = sum(report['skipped'].values())
    lines.append(f'words skipped: {total}')
    for reason in (SKIP_IGNORED, SKIP_EMPTY_TEXT, SKIP_DEGENERATE):
        lines.append(f'  {reason}: {report["skipped"][reason]}')
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    """Run the conversion and print its report.

    Args:
        argv (list[str], optional): Arguments; defaults to ``sys.argv[1:]``.
    """
    args = parse_args(argv)
    report = crop_words(args.data_root, args.in_json, args.out_json,
                        args.split, args.margin, args.with_masks)
    print(summary(report))
    print(f'written: {report["out_json"]}')


if __name__ == '__main__':
    run_cli(main)
