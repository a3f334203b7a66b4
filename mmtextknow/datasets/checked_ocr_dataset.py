"""An :class:`~mmocr.datasets.OCRDataset` that validates what it loads."""
import json
import logging
import os.path as osp
from collections import Counter
from typing import Dict, List, Sequence

from mmengine.fileio import join_path
from mmengine.logging import print_log
from mmocr.datasets import OCRDataset
from mmocr.registry import DATASETS

from mmtextknow.utils import DataError, polygon_problem

#: Keys of a data item holding file paths relative to ``data_root``, besides
#: ``img_path`` (which follows ``data_prefix`` as in MMOCR).
EXTRA_PATH_KEYS = ('pixel_mask_path', 'polygon_mask_path')


@DATASETS.register_module()
class CheckedOCRDataset(OCRDataset):
    """OCRDataset with input validation and counted skips.

    It reads the same annotation JSON as :class:`mmocr.datasets.OCRDataset`
    and applies these rules while loading it:

    - a missing, empty or malformed annotation file raises
      :class:`~mmtextknow.utils.DataError` naming the file and the problem;
    - an instance whose ``polygon`` has fewer than 3 distinct points, an odd
      number of coordinates, a non-finite coordinate or zero area is dropped
      (the image is kept) and counted as ``degenerate_polygon``;
    - with ``check_images=True`` (default), an image that does not exist is
      dropped and counted as ``missing_image``; corrupt images are reported
      when loaded by ``LoadImageFromFile`` (``IOError: <path> is broken``);
    - with ``require_texts=True`` (text spotting), an instance without a
      ``text`` raises :class:`DataError` naming the file and the image (a
      detection-only JSON, e.g. what MMOCR's dataset preparer writes for
      ``--task textdet``, has no transcripts);
    - if nothing is left, :class:`DataError` is raised.

    Counts are logged once (WARNING) and kept in :attr:`skipped`. Paths under
    :data:`EXTRA_PATH_KEYS` (mask files) are joined with ``data_root``.

    Args:
        check_images (bool): Whether to drop items whose image file is
            missing. Defaults to True.
        max_listed (int): How many skipped file names to list in the log.
            Defaults to 5.
        require_texts (bool): Whether every instance must have a ``text``.
            Defaults to False.
        **kwargs: Arguments of :class:`mmocr.datasets.OCRDataset`.
    """

    def __init__(self,
                 *args,
                 check_images: bool = True,
                 max_listed: int = 5,
                 require_texts: bool = False,
                 **kwargs) -> None:
        self.check_images = check_images
        self.require_texts = require_texts
        self.max_listed = max_listed
        self.skipped: Dict[str, int] = Counter()
        self._skipped_examples: Dict[str, List[str]] = {}
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Validate the annotation file, then load and clean its items."""
        self._check_annotation_file(self.ann_file)
        self.skipped = Counter()
        self._skipped_examples = {}
        data_list = [
            info for info in super().load_data_list()
            if self._keep(info)
        ]
        self._log_skips()
        if not data_list:
            raise DataError(f'{self.ann_file}: no usable data item '
                            f'(skipped: {dict(self.skipped)})')
        return data_list

    def parse_data_info(self, raw_data_info: dict) -> dict:
        """Join extra file paths (masks) with ``data_root``."""
        info = super().parse_data_info(raw_data_info)
        for key in EXTRA_PATH_KEYS:
            if info.get(key) and self.data_root:
                info[key] = join_path(self.data_root, info[key])
        return info

    @staticmethod
    def _check_annotation_file(ann_file: str) -> None:
        """Raise a :class:`DataError` for a missing/empty/non-JSON file."""
        if not ann_file or not osp.isfile(ann_file):
            raise DataError(f'{ann_file}: annotation file not found')
        if not ann_file.endswith('.json'):
            return  # other formats are left to mmengine's loaders
        with open(ann_file, encoding='utf-8') as f:
            text = f.read()
        if not text.strip():
            raise DataError(f'{ann_file}: annotation file is empty')
        try:
            content = json.loads(text)
        except json.JSONDecodeError as e:
            raise DataError(f'{ann_file}: not valid JSON ({e})') from None
        if not isinstance(content, dict) or not {'metainfo', 'data_list'
                                                 } <= set(content):
            raise DataError(f'{ann_file}: expected a JSON object with '
                            '"metainfo" and "data_list" (MMOCR OCRDataset '
                            'format)')

    def _keep(self, info: dict) -> bool:
        """Drop degenerate instances; say whether the item is kept."""
        img_path = info.get('img_path', '')
        if self.check_images and img_path and not osp.isfile(img_path):
            self._count('missing_image', img_path)
            return False
        instances = info.get('instances', [])
        if self.require_texts and any('text' not in i for i in instances):
            raise DataError(
                f'{self.ann_file}: an instance of {img_path} has no "text"; '
                'text spotting needs transcripts (MMOCR\'s '
                'prepare_dataset.py --task textspotting or '
                'tools/dataset_converters/icdar_txt2json.py write them)')
        usable = []
        for inst in instances:
            problem = ('polygon' in inst
                       and polygon_problem(inst['polygon']))
            if problem:
                self._count('degenerate_polygon', f'{img_path} ({problem})')
            else:
                usable.append(inst)
        info['instances'] = usable
        return True

    def _count(self, reason: str, example: str) -> None:
        self.skipped[reason] += 1
        examples = self._skipped_examples.setdefault(reason, [])
        if len(examples) < self.max_listed:
            examples.append(example)

    def _log_skips(self) -> None:
        for reason, count in sorted(self.skipped.items()):
            listed: Sequence[str] = self._skipped_examples.get(reason, [])
            more = ', ...' if count > len(listed) else ''
            print_log(
                f'{self.ann_file}: skipped {count} x {reason}: '
                f'{", ".join(listed)}{more}',
                logger='current',
                level=logging.WARNING)
