# Copyright (c) mmtextknow contributors. All rights reserved.
"""Build and write MMOCR 1.x ``OCRDataset`` annotation files (text detection).

The file layout is ``{"metainfo": ..., "data_list": [...]}``; each
``data_list`` item holds ``img_path``, ``height``, ``width`` and
``instances`` (see :func:`textdet_instance`).
"""
import json
import os
from pathlib import Path
from typing import List, Optional, Sequence, Union

from mmtextknow.utils.polygon import polygon_to_bbox

#: ``metainfo`` of a text detection (``TextDetDataset``) annotation file.
#: Treat it as read-only; :func:`dump_ocr_json` copies it.
TEXTDET_METAINFO = {
    'dataset_type': 'TextDetDataset',
    'task_name': 'textdet',
    'category': [{
        'id': 0,
        'name': 'text'
    }],
}


def textdet_instance(polygon: Sequence[float],
                     text: str,
                     ignore: bool = False,
                     **extra) -> dict:
    """Build one text detection instance.

    Args:
        polygon (Sequence[float]): Flat polygon ``[x1, y1, x2, y2, ...]``,
            stored as given.
        text (str): Transcript.
        ignore (bool): Whether the instance is ignored in training and
            evaluation. Defaults to False.
        **extra: More keys, appended after the standard ones.

    Returns:
        dict: ``polygon``, ``bbox`` (``[x1, y1, x2, y2]`` of the polygon),
        ``bbox_label`` (0), ``ignore``, ``text`` and ``extra``, in this
        order.
    """
    return dict(
        polygon=polygon,
        bbox=polygon_to_bbox(polygon),
        bbox_label=0,
        ignore=ignore,
        text=text,
        **extra)


def dump_ocr_json(data_list: List[dict],
                  out_json: Union[str, os.PathLike],
                  extra_metainfo: Optional[dict] = None) -> None:
    """Write a text detection annotation file.

    The output is deterministic: UTF-8, ``ensure_ascii=False``, keys in
    insertion order, compact single-line JSON without a trailing newline.

    Args:
        data_list (list[dict]): ``data_list`` items.
        out_json (str or PathLike): Output path; parents are created.
        extra_metainfo (dict, optional): Keys appended to
            :data:`TEXTDET_METAINFO` in ``metainfo``.
    """
    out_json = Path(out_json)
    out_json.parent.mkdir(parents=True, exist_ok=True)
    metainfo = dict(TEXTDET_METAINFO, **(extra_metainfo or {}))
    with open(out_json, 'w', encoding='utf-8') as f:
        json.dump(
            dict(metainfo=metainfo, data_list=data_list),
            f,
            ensure_ascii=False)
