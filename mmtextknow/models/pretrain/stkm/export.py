# Copyright (c) mmtextknow contributors. All rights reserved.
"""Export the backbone of an STKM pre-training checkpoint for fine-tuning.

STKM pre-trains a ResNet backbone together with an FPN neck, a fusion
module, position embeddings and a decoder; only the backbone is transferred
to a text detector. The exported checkpoint holds the backbone's weights
with the ``backbone.`` prefix stripped, so that MMOCR/MMDetection's
``ResNet`` loads it with ``init_cfg=dict(type='Pretrained', checkpoint=...)``.

Example::

    >>> ckpt = load_stkm_checkpoint('work_dirs/stkm/epoch_10.pth')
    >>> kept, dropped = extract_backbone_state_dict(ckpt['state_dict'])
    >>> torch.save({'state_dict': kept, 'meta': {}}, 'backbone.pth')
"""
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Tuple

import torch
from torch import nn

from mmtextknow.utils import DataError

#: Buffers that BatchNorm counts with; checkpoints written by some tools
#: lack them and their absence changes no weight, so they never make a
#: backbone "not load".
_HARMLESS_MISSING_SUFFIXES = ('num_batches_tracked', )


def load_stkm_checkpoint(path: str) -> Dict[str, Any]:
    """Load a checkpoint on the CPU and return it as a dict.

    ``mmtextknow`` must be imported (it is, by this module) so that the
    objects mmengine pickles into checkpoints load under torch's
    ``weights_only`` loading.

    Args:
        path (str): The checkpoint file.

    Returns:
        dict: The checkpoint; a bare state dict is wrapped as
        ``{'state_dict': ..., 'meta': {}}``.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        DataError: If the file is not a checkpoint of tensors.
    """
    try:
        ckpt = torch.load(path, map_location='cpu')
    except FileNotFoundError:
        raise FileNotFoundError(f'{path}: checkpoint not found') from None
    except Exception as e:  # unpickling errors come in many types
        first_line = str(e).strip().splitlines()[0] if str(e).strip() else ''
        raise DataError(f'{path}: cannot load as a checkpoint '
                        f'({type(e).__name__}: {first_line})') from None
    if not isinstance(ckpt, Mapping):
        raise DataError(f'{path}: not a checkpoint (a {type(ckpt).__name__}, '
                        'expected a dict)')
    if 'state_dict' in ckpt:
        if not isinstance(ckpt['state_dict'], Mapping):
            raise DataError(f"{path}: 'state_dict' is not a dict")
        return dict(ckpt)
    if ckpt and all(isinstance(v, torch.Tensor) for v in ckpt.values()):
        return {'state_dict': ckpt, 'meta': {}}
    raise DataError(f"{path}: no 'state_dict' in the checkpoint")


def extract_backbone_state_dict(
    state_dict: Mapping[str, torch.Tensor],
    prefix: str = 'backbone.'
) -> Tuple['OrderedDict[str, torch.Tensor]', Dict[str, int]]:
    """Keep the keys under ``prefix``, with the prefix stripped.

    A leading ``module.`` (a checkpoint saved from a DDP-wrapped model) is
    ignored.

    Args:
        state_dict (Mapping[str, Tensor]): The pre-training model's weights.
        prefix (str): The backbone's prefix. Defaults to ``'backbone.'``.

    Returns:
        tuple: ``(kept, dropped_counts)``: the backbone's state dict in the
        original order, and the number of dropped keys per top-level module
        name (the part before the first ``.``), e.g.
        ``{'neck': 12, 'decoder': 40}``.

    Raises:
        ValueError: If ``prefix`` is empty.
    """
    if not prefix:
        raise ValueError('prefix must not be empty')
    kept: 'OrderedDict[str, torch.Tensor]' = OrderedDict()
    dropped: Counter = Counter()
    for key, value in state_dict.items():
        name = key[len('module.'):] if key.startswith('module.') else key
        if name.startswith(prefix) and len(name) > len(prefix):
            kept[name[len(prefix):]] = value
        else:
            dropped[name.split('.', 1)[0]] += 1
    return kept, dict(dropped)


@dataclass
class BackboneLoadReport:
    """How an exported state dict matches a backbone module.

    Attributes:
        matched (list[str]): Keys present in both with equal shapes.
        missing (list[str]): Backbone keys absent from the state dict
            (``num_batches_tracked`` buffers excluded, see
            :attr:`missing_buffers`).
        missing_buffers (list[str]): Absent ``num_batches_tracked`` buffers.
        unexpected (list[str]): State-dict keys the backbone does not have.
        mismatched (list[tuple]): ``(key, checkpoint_shape, model_shape)``
            for keys present in both with different shapes.
    """
    matched: List[str] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)
    missing_buffers: List[str] = field(default_factory=list)
    unexpected: List[str] = field(default_factory=list)
    mismatched: List[Tuple[str, Tuple[int, ...],
                           Tuple[int, ...]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every backbone weight was loaded."""
        return not self.missing and not self.mismatched

    def summary(self) -> str:
        """A multi-line human-readable report."""
        lines = [
            f'matched: {len(self.matched)}, missing: {len(self.missing)}, '
            f'unexpected: {len(self.unexpected)}, '
            f'shape mismatched: {len(self.mismatched)}'
        ]
        if self.missing_buffers:
            lines.append(f'  ({len(self.missing_buffers)} num_batches_tracked'
                         ' buffers absent; harmless)')
        for key in self.missing:
            lines.append(f'  missing: {key}')
        for key, ckpt_shape, model_shape in self.mismatched:
            lines.append(f'  shape mismatch: {key}: checkpoint '
                         f'{tuple(ckpt_shape)} vs model {tuple(model_shape)}')
        for key in self.unexpected:
            lines.append(f'  unexpected: {key}')
        return '\n'.join(lines)


def check_backbone_loads(
        backbone_module: nn.Module,
        state_dict: Mapping[str, torch.Tensor]) -> BackboneLoadReport:
    """Load ``state_dict`` into ``backbone_module`` and report the matching.

    Keys with matching shapes are loaded (``strict=False``); shape
    mismatches are reported instead of raising.

    Args:
        backbone_module (nn.Module): The detector's backbone, e.g. built
            with ``MODELS.build(cfg.model.backbone)``.
        state_dict (Mapping[str, Tensor]): The exported backbone weights
            (no ``backbone.`` prefix).

    Returns:
        BackboneLoadReport: The matched / missing / unexpected / mismatched
        keys; ``report.ok`` is False if any backbone weight was not loaded.
    """
    report = BackboneLoadReport()
    own = backbone_module.state_dict()
    loadable = OrderedDict()
    for key, value in state_dict.items():
        if key not in own:
            report.unexpected.append(key)
        elif tuple(value.shape) != tuple(own[key].shape):
            report.mismatched.append(
                (key, tuple(value.shape), tuple(own[key].shape)))
        else:
            report.matched.append(key)
            loadable[key] = value
    for key in own:
        if key not in state_dict:
            if key.endswith(_HARMLESS_MISSING_SUFFIXES):
                report.missing_buffers.append(key)
            else:
                report.missing.append(key)
    backbone_module.load_state_dict(loadable, strict=False)
    return report
