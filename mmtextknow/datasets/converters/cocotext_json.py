# Copyright (c) mmtextknow contributors. All rights reserved.
"""Read word annotations from a COCO-Text v2 or a COCO-style JSON.

Two top-level layouts are recognised (anything else is a ``DataError``
naming the file):

- COCO-Text v2 (``cocotext.v2.json`` of https://bgshih.github.io/cocotext;
  layout from MMOCR's ``dataset_zoo/cocotextv2/sample_anno.md`` and
  ``mmocr/datasets/preparers/parsers/coco_parser.py``, variant
  ``'cocotext'``, and TexRNet's ``lib/data_factory/ds_cocotext.py``,
  SHI-Labs/Rethinking-Text-Segmentation)::

      {"anns": {"<ann id>": {"mask": [x1, y1, ...], "bbox": [x, y, w, h],
                             "utf8_string": "the", "legibility": "legible",
                             "language": "english",
                             "class": "machine printed",
                             "image_id": 522579, "id": 45346, ...}, ...},
       "imgs": {"<img id>": {"file_name": "COCO_train2014_...jpg",
                             "height": 480, "width": 640, "id": 522579,
                             "set": "train"}, ...},
       "imgToAnns": {"<img id>": [45346, ...], ...},
       "cats": {}, "info": {...}}

  Dicts are keyed by the ids as strings; ``imgToAnns`` lists integer
  annotation ids (looked up as ``anns[str(id)]``) and is authoritative
  for which words an image has, as in MMOCR's parser (without it the
  annotations are grouped by ``image_id``). An image's split is its
  ``set`` field (``'train'`` / ``'val'``). An id listed in ``imgToAnns``
  that is missing from ``anns``, and an ``imgToAnns`` key that is not an
  image, are counted malformed annotations.
- COCO (``images`` and ``annotations`` lists): ``{"id", "file_name",
  "height"?, "width"?}`` images; annotations ``{"image_id",
  "segmentation", "utf8_string"? / "text"?, "iscrowd"?}`` grouped by
  ``image_id``; an unknown ``image_id`` is a malformed annotation.

Each annotation gives one word per polygon (:func:`coco_words`): the
polygon is ``mask`` (COCO-Text) or ``segmentation`` (a list of flat
polygons or one flat polygon; an RLE dict is malformed); without either,
the ``bbox`` ``[x, y, w, h]`` becomes a rectangle (ASSUMPTION: COCO-Text
v2 gives ``mask`` for every word; the fallback covers v1-style entries).
The transcript is ``utf8_string`` (else ``text``, else ``''``); the word
is ignored when ``legibility == 'illegible'`` (COCO-Text; MMOCR's rule)
or ``iscrowd`` is truthy (COCO). ``language`` and ``class`` are not
used: illegible is the only don't-care of COCO-Text.
"""
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from mmtextknow.utils import DataError
from .textseg import PathLike, Word, load_json_object


@dataclass
class TextImage:
    """One image entry of the JSON with its annotations.

    Attributes:
        where (str): ``'{json}, imgs["{id}"]'`` or ``'{json}, images[i]'``,
            for messages.
        entry (dict): The image entry as read (``file_name``, ...).
        anns (list[dict]): Its annotations, in file order.
    """
    where: str
    entry: Any
    anns: List[dict] = field(default_factory=list)

    @property
    def set(self) -> Optional[str]:
        """str or None: COCO-Text's ``set`` (``'train'`` / ``'val'``)."""
        return self.entry.get('set') if isinstance(self.entry, dict) \
            else None


def _is_number(value: Any) -> bool:
    """Whether ``value`` is a finite JSON number (not a bool)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _is_flat_polygon(value: Any) -> bool:
    """Whether ``value`` is a non-empty list of numbers."""
    return isinstance(value, list) and bool(value) and all(
        _is_number(v) for v in value)


def coco_words(ann: dict) -> List[Word]:
    """The words of one COCO-Text / COCO annotation (one per polygon).

    Args:
        ann (dict): The annotation.

    Returns:
        list: ``(flat polygon, text, ignore)`` per polygon.

    Raises:
        ValueError: If it has no usable polygon (nor ``bbox``).
    """
    seg = ann.get('mask', ann.get('segmentation'))
    if isinstance(seg, dict):
        raise ValueError('RLE segmentation is not supported')
    if seg is None or seg == []:
        box = ann.get('bbox')
        if not (_is_flat_polygon(box) and len(box) == 4):
            raise ValueError('no mask / segmentation and no [x, y, w, h] '
                             'bbox')
        x, y, w, h = (float(v) for v in box)
        seg = [x, y, x + w, y, x + w, y + h, x, y + h]
    if _is_flat_polygon(seg):
        seg = [seg]
    if not isinstance(seg, list) or not all(map(_is_flat_polygon, seg)):
        raise ValueError('mask / segmentation is not a list of numeric '
                         'polygons')
    text = ann.get('utf8_string', ann.get('text')) or ''
    ignore = bool(ann.get('iscrowd')) or ann.get('legibility') == 'illegible'
    return [([float(v) for v in poly], str(text), ignore) for poly in seg]


def _hashable(value: Any) -> Any:
    """``value`` if it can be a dict key (a JSON id), else its repr."""
    return value if isinstance(value, (int, float, str, type(None))) \
        else repr(value)


def _cocotext_images(ann_file: PathLike,
                     content: dict) -> Tuple[List[TextImage], List[str]]:
    """Images of a COCO-Text v2 JSON (see the module docstring)."""
    anns, imgs = content['anns'], content['imgs']
    images = {
        key: TextImage(f'{ann_file}, imgs[{key!r}]', entry)
        for key, entry in imgs.items()
    }
    problems = []
    img_to_anns = content.get('imgToAnns')
    if isinstance(img_to_anns, dict):
        for key, ann_ids in img_to_anns.items():
            if key not in images:
                if ann_ids:
                    problems.append(f'{ann_file}, imgToAnns[{key!r}]: not an '
                                    'image of "imgs"')
                continue
            if not isinstance(ann_ids, list):
                problems.append(f'{ann_file}, imgToAnns[{key!r}]: not a list '
                                'of annotation ids')
                continue
            for ann_id in ann_ids:
                ann = anns.get(str(_hashable(ann_id)))
                if isinstance(ann, dict):
                    images[key].anns.append(ann)
                else:
                    problems.append(
                        f'{ann_file}, imgToAnns[{key!r}]: annotation id '
                        f'{ann_id!r} is not an object of "anns"')
    else:
        for ann_key, ann in anns.items():
            if not isinstance(ann, dict):
                continue
            key = str(_hashable(ann.get('image_id')))
            if key in images:
                images[key].anns.append(ann)
            else:
                problems.append(f'{ann_file}, anns[{ann_key!r}]: unknown '
                                f'image_id {ann.get("image_id")!r}')
    return list(images.values()), problems


def _coco_images(ann_file: PathLike,
                 content: dict) -> Tuple[List[TextImage], List[str]]:
    """Images of a COCO-style JSON (see the module docstring)."""
    images = [
        TextImage(f'{ann_file}, images[{i}]', entry)
        for i, entry in enumerate(content['images'])
    ]
    by_id: Dict[Any, TextImage] = {}
    for image in images:
        if isinstance(image.entry, dict):
            by_id.setdefault(_hashable(image.entry.get('id')), image)
    orphans: Dict[Any, List[dict]] = defaultdict(list)
    for ann in content['annotations']:
        if not isinstance(ann, dict):
            continue
        image_id = _hashable(ann.get('image_id'))
        if image_id in by_id:
            by_id[image_id].anns.append(ann)
        else:
            orphans[image_id].append(ann)
    problems = [
        f'{ann_file}, annotation {ann.get("id")}: unknown image_id '
        f'{image_id!r}' for image_id, anns in orphans.items() for ann in anns
    ]
    return images, problems


def load_text_json(ann_file: PathLike) -> Tuple[List[TextImage], List[str]]:
    """Read the images and words of a COCO-Text v2 or COCO-style JSON.

    Args:
        ann_file (str or PathLike): The JSON.

    Returns:
        tuple[list[TextImage], list[str]]: The images in file order, each
        with its annotations, and one message per malformed reference
        (annotation of an unknown image, unknown annotation id).

    Raises:
        DataError: If the file cannot be read or has neither layout.
    """
    content = load_json_object(ann_file, 'COCO-Text / COCO JSON')
    if all(isinstance(content.get(k), dict) for k in ('anns', 'imgs')):
        return _cocotext_images(ann_file, content)
    if all(
            isinstance(content.get(k), list)
            for k in ('images', 'annotations')):
        return _coco_images(ann_file, content)
    raise DataError(
        f'{ann_file}: expected COCO-Text v2 ("anns" and "imgs" objects, '
        'optional "imgToAnns") or COCO ("images" and "annotations" lists); '
        f'found keys {sorted(content)[:10]}')


__all__ = ['TextImage', 'coco_words', 'load_text_json']
