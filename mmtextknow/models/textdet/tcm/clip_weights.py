# Copyright (c) mmtextknow contributors. All rights reserved.
"""Loading CLIP weights from a local file into TCM's CLIP encoders.

Two file kinds are read: OpenAI's TorchScript archives (e.g. ``RN50.pt``) and
plain / open_clip state dicts saved with :func:`torch.save` (possibly nested
under ``'state_dict'`` and possibly with a ``module.`` prefix from DDP).
Loading is checked key by key and shape by shape; with ``strict=True`` (the
default) any encoder weight left missing or mismatched is an error, so a model
never silently keeps random weights.
"""
import math
import warnings
import zipfile
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import torch
from mmengine.logging import print_log
from torch import Tensor, nn

from .clip_image_encoder import CLIPResNet, resize_pos_embed
from .clip_text_encoder import CLIPTextEncoder

#: Non-weight entries of OpenAI's TorchScript archives.
NON_WEIGHT_KEYS = ('input_resolution', 'context_length', 'vocab_size')
#: Prefixes of CLIP's text-tower keys.
TEXT_PREFIXES = ('token_embedding.', 'positional_embedding', 'transformer.',
                 'ln_final.', 'text_projection')
IMAGE_PREFIX = 'visual.'


def _is_torchscript_archive(path: Path) -> bool:
    """Whether ``path`` is a TorchScript zip (it has ``constants.pkl``)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return any(
            name == 'constants.pkl' or name.endswith('/constants.pkl')
            for name in zf.namelist())


def _strip_prefix(state_dict: Dict[str, Any], prefix: str) -> Dict[str, Any]:
    """Remove ``prefix`` from every key that has it."""
    return {(k[len(prefix):] if k.startswith(prefix) else k): v
            for k, v in state_dict.items()}


def load_clip_state_dict(path: Union[str, PathLike]) -> Dict[str, Tensor]:
    """Read a CLIP state dict from a local checkpoint file.

    Args:
        path (str or PathLike): OpenAI TorchScript archive (``RN50.pt``) or a
            ``torch.save``-d (open_clip) state dict, possibly nested under
            ``'state_dict'`` and with ``module.`` prefixes.

    Returns:
        dict[str, Tensor]: CLIP keys (``visual.*``, ``token_embedding.weight``,
        ``positional_embedding``, ``transformer.*``, ``ln_final.*``,
        ``text_projection``, ``logit_scale``, ...) on the CPU, without the
        archives' non-weight entries.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the file cannot be read, or it is not a CLIP checkpoint
            (no ``visual.*`` keys).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f'CLIP checkpoint not found: {path}')
    try:
        if _is_torchscript_archive(path):
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', FutureWarning)
                obj = torch.jit.load(str(path), map_location='cpu')
            state_dict = dict(obj.state_dict())
        else:
            state_dict = torch.load(
                str(path), map_location='cpu', weights_only=True)
    except Exception as e:  # noqa: BLE001 (re-raised with the file name)
        raise ValueError(
            f'Cannot read CLIP checkpoint {path}: {type(e).__name__}: {e}'
        ) from e

    if isinstance(state_dict, dict) and isinstance(
            state_dict.get('state_dict'), dict):
        state_dict = state_dict['state_dict']
    if not isinstance(state_dict, dict) or not all(
            isinstance(k, str) for k in state_dict):
        raise ValueError(f'{path} is not a CLIP checkpoint: it holds a '
                         f'{type(state_dict).__name__}, not a state dict')
    state_dict = _strip_prefix(state_dict, 'module.')
    # open_clip's CustomTextCLIP keeps its text tower under ``text.``.
    if 'token_embedding.weight' not in state_dict and \
            'text.token_embedding.weight' in state_dict:
        state_dict = _strip_prefix(state_dict, 'text.')
    state_dict = {
        k: v
        for k, v in state_dict.items()
        if k not in NON_WEIGHT_KEYS and isinstance(v, Tensor)
    }
    if not any(k.startswith(IMAGE_PREFIX) for k in state_dict):
        raise ValueError(
            f'{path} is not a CLIP checkpoint: no "{IMAGE_PREFIX}*" keys '
            f'(found e.g. {sorted(state_dict)[:5]})')
    return state_dict


@dataclass
class ClipLoadReport:
    """What :func:`load_clip_weights` did.

    All keys are CLIP checkpoint names, which are also the encoders' own
    parameter names (``visual.*`` for :class:`CLIPResNet`, the text-tower
    names for :class:`CLIPTextEncoder`).

    Attributes:
        loaded (list[str]): Encoder entries copied from the file.
        missing (list[str]): Encoder entries the file lacks (left as they
            were).
        unexpected (list[str]): File entries belonging to no given encoder
            (e.g. ``logit_scale``); ignored.
        mismatched (list[tuple[str, tuple, tuple]]): ``(key, file shape,
            encoder shape)`` of entries not loaded because of their shapes.
        resized (list[tuple[str, tuple, tuple]]): ``(key, file shape,
            encoder shape)`` of entries resized to the encoder's shape and
            loaded (the attention pool's positional embedding of an image
            encoder made for another grid, see
            :class:`~mmtextknow.models.textdet.tcm.clip_image_encoder.\
CLIPResNet`).
        path (str): The file read.
    """

    loaded: List[str] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)
    unexpected: List[str] = field(default_factory=list)
    mismatched: List[Tuple[str, Tuple[int, ...], Tuple[int, ...]]] = field(
        default_factory=list)
    resized: List[Tuple[str, Tuple[int, ...], Tuple[int, ...]]] = field(
        default_factory=list)
    path: str = ''

    @property
    def ok(self) -> bool:
        """True when every encoder entry was loaded."""
        return not self.missing and not self.mismatched

    def summary(self) -> str:
        """A human-readable, multi-line account of the load."""
        lines = [
            f'CLIP weights from {self.path or "<unknown>"}: '
            f'{len(self.loaded)} tensors loaded, {len(self.missing)} '
            f'missing, {len(self.mismatched)} shape-mismatched, '
            f'{len(self.unexpected)} unexpected (ignored).'
        ]
        for key, file_shape, model_shape in self.resized:
            lines.append(f'  resized (bilinear): {key}: file '
                         f'{list(file_shape)} -> encoder {list(model_shape)}')
        if self.missing:
            lines.append('  missing: ' + _head(self.missing))
        for key, file_shape, model_shape in self.mismatched[:_MAX_LISTED]:
            lines.append(f'  mismatched: {key}: file {list(file_shape)} vs '
                         f'encoder {list(model_shape)}')
        if len(self.mismatched) > _MAX_LISTED:
            lines.append(f'  ... ({len(self.mismatched) - _MAX_LISTED} more '
                         'mismatched)')
        if self.unexpected:
            lines.append('  unexpected (ignored): ' +
                         _grouped(self.unexpected))
        return '\n'.join(lines)


_MAX_LISTED = 20


def _head(keys: List[str]) -> str:
    """The first keys, comma-separated, with a count of the rest."""
    text = ', '.join(keys[:_MAX_LISTED])
    if len(keys) > _MAX_LISTED:
        text += f', ... ({len(keys) - _MAX_LISTED} more)'
    return text


def _grouped(keys: List[str]) -> str:
    """Keys grouped by their first name component: ``visual.* (123)``."""
    groups: Dict[str, List[str]] = {}
    for key in keys:
        groups.setdefault(key.split('.', 1)[0], []).append(key)
    parts = [
        members[0] if len(members) == 1 else f'{name}.* ({len(members)})'
        for name, members in groups.items()
    ]
    return ', '.join(parts)


def _load_part(module: nn.Module, file_part: Dict[str, Tensor],
               report: ClipLoadReport) -> None:
    """Shape-checked copy of ``file_part`` into ``module``'s state dict."""
    own = module.state_dict()
    to_load = {}
    for key, target in own.items():
        if key not in file_part:
            # A BatchNorm step counter is not a weight: tolerate its absence.
            if not key.endswith('num_batches_tracked'):
                report.missing.append(key)
            continue
        value = file_part[key]
        if tuple(value.shape) != tuple(target.shape):
            report.mismatched.append(
                (key, tuple(value.shape), tuple(target.shape)))
            continue
        to_load[key] = value
    for key in file_part:
        if key not in own:
            report.unexpected.append(key)
    module.load_state_dict(to_load, strict=False)
    report.loaded.extend(to_load)


POS_EMBED_KEY = IMAGE_PREFIX + 'attnpool.positional_embedding'


def _resize_pos_embed_to(encoder: CLIPResNet, image_part: Dict[str, Tensor],
                         report: ClipLoadReport) -> None:
    """Resize the file's attention-pool positional embedding (in place in
    ``image_part``) to the encoder's grid when only the grid differs."""
    value = image_part.get(POS_EMBED_KEY)
    target = encoder.visual.attnpool.positional_embedding
    if value is None or value.shape == target.shape or \
            value.dim() != 2 or value.shape[1] != target.shape[1]:
        return
    file_grid = math.isqrt(value.shape[0] - 1)
    if file_grid**2 + 1 != value.shape[0]:
        return  # not a square grid: left to the shape check
    grid = encoder.pretrain_img_size // 32
    image_part[POS_EMBED_KEY] = resize_pos_embed(
        value.float(), (file_grid, file_grid), (grid, grid)).to(value.dtype)
    report.resized.append(
        (POS_EMBED_KEY, tuple(value.shape), tuple(target.shape)))


def load_clip_weights(image_encoder: Optional[CLIPResNet],
                      text_encoder: Optional[CLIPTextEncoder],
                      path: Union[str, PathLike],
                      logger: Optional[Any] = None,
                      strict: bool = True) -> ClipLoadReport:
    """Load a CLIP checkpoint into TCM's image and/or text encoder.

    ``visual.*`` entries go to ``image_encoder`` (whose network is
    ``image_encoder.visual``), the text-tower entries to ``text_encoder``;
    everything else (``logit_scale``, ...) is reported as unexpected and
    ignored. The attention pool's positional embedding is bilinearly resized
    when the encoder's grid (``pretrain_img_size // 32``) differs from the
    file's (reported as resized). Other entries whose shapes differ from the
    encoder's are not loaded and reported.

    Args:
        image_encoder (CLIPResNet, optional): Image encoder to fill.
        text_encoder (CLIPTextEncoder, optional): Text encoder to fill.
        path (str or PathLike): The checkpoint file, see
            :func:`load_clip_state_dict`.
        logger (logging.Logger or str, optional): Where the summary is
            logged (:func:`mmengine.logging.print_log`); defaults to the
            current MMLogger.
        strict (bool): Raise if any encoder entry stays missing or
            mismatched. With ``False`` this is only reported.
            Defaults to True.

    Returns:
        ClipLoadReport: What was loaded, missing, mismatched and ignored.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the file is unreadable or not CLIP, or (``strict``) an
            encoder entry was not loaded.
    """
    state_dict = load_clip_state_dict(path)
    image_part: Dict[str, Tensor] = {}
    text_part: Dict[str, Tensor] = {}
    report = ClipLoadReport(path=str(path))
    for key, value in state_dict.items():
        if image_encoder is not None and key.startswith(IMAGE_PREFIX):
            image_part[key] = value
        elif text_encoder is not None and key.startswith(TEXT_PREFIXES):
            text_part[key] = value
        else:
            report.unexpected.append(key)
    if image_encoder is not None:
        _resize_pos_embed_to(image_encoder, image_part, report)
        _load_part(image_encoder, image_part, report)
    if text_encoder is not None:
        _load_part(text_encoder, text_part, report)

    summary = report.summary()
    print_log(
        summary,
        logger=logger if logger is not None else 'current',
        level=30 if not report.ok else 20)
    if strict and not report.ok:
        raise ValueError(
            f'CLIP checkpoint {path} does not fit the encoders '
            f'(use strict=False to only report):\n{summary}')
    return report
