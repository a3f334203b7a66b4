# Copyright (c) mmtextknow contributors. All rights reserved.
"""STKM's self-attention decoder: reads all words of an image as one
sequence from the flattened image tokens."""
import math
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS


def sinusoidal_positions(length: int, channels: int) -> torch.Tensor:
    """The sinusoidal position table of "Attention Is All You Need".

    Args:
        length (int): Number of positions.
        channels (int): Channels (even).

    Returns:
        torch.Tensor: ``length x channels``.
    """
    position = torch.arange(length, dtype=torch.float32)[:, None]
    freq = torch.exp(
        torch.arange(0, channels, 2, dtype=torch.float32) *
        (-math.log(10000.0) / channels))
    table = torch.zeros(length, channels)
    table[:, 0::2] = torch.sin(position * freq)
    table[:, 1::2] = torch.cos(position * freq)
    return table


def sequence_lengths(indexes: torch.Tensor, eos_idx: int) -> List[int]:
    """Length of each greedy-decoded sequence, up to and including its EOS.

    Only EOS ends a sequence: a POS (padding) class predicted before it is
    part of the sequence (the dictionary skips it when reading the words),
    as in the authors' decoding loop, which stops at EOS alone. A sequence
    without EOS keeps all its tokens.

    Args:
        indexes (torch.Tensor): Predicted classes, ``N x T`` (SOS excluded).
        eos_idx (int): The EOS class.

    Returns:
        list[int]: ``N`` lengths in ``[0, T]``.
    """
    if indexes.size(1) == 0:
        return [0] * indexes.size(0)
    is_eos = indexes == eos_idx
    through_eos = is_eos.int().argmax(1) + 1  # argmax: the first maximum
    return torch.where(is_eos.any(1), through_eos,
                       indexes.size(1)).tolist()


@MODELS.register_module()
class STKMDecoder(BaseModule):
    """Transformer decoder over the image tokens (post-LN, causal).

    Token embeddings (scaled by ``sqrt(d_model)``) plus sinusoidal
    positions go through ``num_layers`` ``nn.TransformerDecoderLayer``
    (masked self-attention, cross-attention to the image tokens,
    feed-forward, post-LayerNorm residuals), then a linear classifier.

    Paper vs code: the paper uses ``num_layers=4``; the authors' code 1.
    ``ffn_channels=1024`` is the code's (the paper does not say).

    Args:
        num_classes (int): Number of output classes (the dictionary's).
        d_model (int): Model width. Defaults to 512.
        num_heads (int): Attention heads. Defaults to 8.
        ffn_channels (int): Hidden width of the feed-forward. Defaults to
            1024.
        num_layers (int): Number of decoder layers. Defaults to 4.
        dropout (float): Dropout. Defaults to 0.1.
        in_channels (int, optional): Channels of the image tokens; when
            given and different from ``d_model`` a linear layer projects
            them. Defaults to None (``d_model``).
        max_seq_len (int): Longest input sequence (size of the position
            table). Defaults to 512.
        pad_idx (int): Padding class (OTSG's POS). Defaults to 0.
        sos_idx (int): Start class. Defaults to 1.
        eos_idx (int): End class. Defaults to 3.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 num_classes: int,
                 d_model: int = 512,
                 num_heads: int = 8,
                 ffn_channels: int = 1024,
                 num_layers: int = 4,
                 dropout: float = 0.1,
                 in_channels: Optional[int] = None,
                 max_seq_len: int = 512,
                 pad_idx: int = 0,
                 sos_idx: int = 1,
                 eos_idx: int = 3,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.num_classes = num_classes
        self.d_model = d_model
        self.max_seq_len = max_seq_len
        self.pad_idx = pad_idx
        self.sos_idx = sos_idx
        self.eos_idx = eos_idx
        self.in_proj = (
            nn.Linear(in_channels, d_model)
            if in_channels is not None and in_channels != d_model else
            nn.Identity())
        self.embedding = nn.Embedding(
            num_classes, d_model, padding_idx=pad_idx)
        self.register_buffer(
            'positions', sinusoidal_positions(max_seq_len, d_model),
            persistent=False)
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerDecoderLayer(
            d_model,
            num_heads,
            dim_feedforward=ffn_channels,
            dropout=dropout,
            activation='relu',
            batch_first=True,
            norm_first=False)
        self.layers = nn.TransformerDecoder(layer, num_layers)
        self.classifier = nn.Linear(d_model, num_classes)

    def forward_train(self, tokens: torch.Tensor,
                      targets_in: torch.Tensor) -> torch.Tensor:
        """Teacher-forced logits.

        Args:
            tokens (torch.Tensor): Image tokens, ``N x K x in_channels``.
            targets_in (torch.Tensor): Input sequence, ``N x T`` (long):
                the targets shifted right, starting with SOS.

        Returns:
            torch.Tensor: Logits ``N x T x num_classes``; logit ``t``
            depends on ``targets_in[:, :t + 1]`` only.
        """
        return self._decode(self.in_proj(tokens), targets_in)

    def _decode(self,
                memory: torch.Tensor,
                inputs: torch.Tensor,
                mask_padding: bool = True) -> torch.Tensor:
        """Logits of ``inputs`` given the projected image tokens.

        With ``mask_padding`` the POS inputs are hidden from the
        self-attention (teacher forcing: they only follow EOS, so under the
        causal mask this changes no logit of a non-POS target). Greedy
        decoding keeps them visible: a POS it predicted before EOS is read
        like any other token, as in the authors' decoding.
        """
        length = inputs.size(1)
        if length > self.max_seq_len:
            raise ValueError(f'sequence of {length} tokens is longer than '
                             f'max_seq_len={self.max_seq_len}')
        embed = self.embedding(inputs) * math.sqrt(self.d_model)
        embed = self.dropout(embed + self.positions[:length])
        causal = torch.triu(
            torch.ones(length, length, dtype=torch.bool,
                       device=inputs.device), 1)
        out = self.layers(
            embed,
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=(inputs == self.pad_idx
                                  if mask_padding else None))
        return self.classifier(out)

    @torch.no_grad()
    def greedy_decode(self,
                      tokens: torch.Tensor,
                      max_steps: int = 99
                      ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Greedy decoding from SOS until every sequence emitted EOS.

        The prefix is recomputed at each step (no cache). Only EOS ends a
        sequence: a POS predicted before it stays in the prefix and the
        decoding goes on (see :func:`sequence_lengths`). After its EOS a
        sequence gets POS with score 0.

        Args:
            tokens (torch.Tensor): Image tokens, ``N x K x in_channels``.
            max_steps (int): Most tokens generated. Defaults to 99.

        Returns:
            tuple(torch.Tensor, torch.Tensor): The predicted classes
            ``N x T'`` (long, SOS excluded, ``T' <= max_steps``) and their
            softmax probabilities ``N x T'``.
        """
        memory = self.in_proj(tokens)
        num = tokens.size(0)
        max_steps = min(max_steps, self.max_seq_len)
        seq = torch.full((num, 1),
                         self.sos_idx,
                         dtype=torch.long,
                         device=tokens.device)
        scores = tokens.new_zeros((num, 0))
        done = torch.zeros(num, dtype=torch.bool, device=tokens.device)
        for _ in range(max_steps):
            logits = self._decode(memory, seq, mask_padding=False)[:, -1]
            score, index = logits.softmax(-1).max(-1)
            index = index.masked_fill(done, self.pad_idx)
            score = score.masked_fill(done, 0.)
            seq = torch.cat([seq, index[:, None]], dim=1)
            scores = torch.cat([scores, score[:, None]], dim=1)
            done = done | (index == self.eos_idx)
            if bool(done.all()):
                break
        return seq[:, 1:], scores
