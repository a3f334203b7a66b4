# Copyright (c) mmtextknow contributors. All rights reserved.
"""Region Feature Encoder (RFE) of TPN (Li, Wang, Shen, ICCV 2017).

The varying-width RoI pooling (:class:`VaryingWidthRoIPool`) turns each
proposal into a ``C x out_height x T_k`` feature whose width ``T_k`` follows
the proposal's aspect ratio. The encoder

1. collapses the height: each column (``C * out_height`` values) is mapped
   to ``hidden_channels`` by a linear layer + ReLU. This is exactly a
   convolution with kernel ``(out_height, 1)`` (no padding) over the pooled
   map, written as a ``Linear`` on the flattened column;
2. runs an LSTM (optionally bidirectional, optionally stacked) over the
   columns with :func:`torch.nn.utils.rnn.pack_padded_sequence`, so padding
   columns beyond each RoI's length never enter the recurrence.

It returns the per-column outputs (what TRN attends over), zero beyond each
length, and a fixed-length region feature ``h`` from the LSTM's final state
(what TDN classifies): the last layer's final hidden state, for a
bidirectional LSTM the concatenation of the forward state after the last
valid column and the backward state after the first column.
"""
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from mmocr.registry import MODELS


@MODELS.register_module()
class RegionFeatureEncoder(BaseModule):
    """Encode varying-width pooled RoI features with an LSTM.

    Args:
        in_channels (int): Channels ``C`` of the pooled features.
            Defaults to 512.
        out_height (int): Fixed pooled height. Defaults to 8.
        hidden_channels (int): Size of the column embedding, of each output
            column and of the final region feature. For a bidirectional
            LSTM each direction has ``hidden_channels // 2`` units (must be
            even). Defaults to 256.
        bidirectional (bool): Use a bidirectional LSTM. Defaults to False
            (the paper reads the sequence with one LSTM).
        num_layers (int): Stacked LSTM layers. Defaults to 1.
        dropout (float): Dropout between stacked LSTM layers (only used if
            ``num_layers > 1``). Defaults to 0.
        init_cfg (dict or list[dict], optional): Initialization configs.
    """

    def __init__(self,
                 in_channels: int = 512,
                 out_height: int = 8,
                 hidden_channels: int = 256,
                 bidirectional: bool = False,
                 num_layers: int = 1,
                 dropout: float = 0.,
                 init_cfg: Optional[dict] = dict(
                     type='Xavier', layer='Linear',
                     distribution='uniform')) -> None:
        super().__init__(init_cfg=init_cfg)
        assert not bidirectional or hidden_channels % 2 == 0, \
            'hidden_channels must be even for a bidirectional LSTM'
        self.in_channels = in_channels
        self.out_height = out_height
        self.hidden_channels = hidden_channels
        self.bidirectional = bidirectional
        self.num_layers = num_layers
        # Linear over a flattened column == Conv2d kernel (out_height, 1);
        # the LayerNorm keeps the LSTM's gates out of saturation whatever
        # the scale of the (un-normalised VGG) features: without it a VGG
        # trained from scratch gave every region nearly the same final
        # state.
        self.column_proj = nn.Sequential(
            nn.Linear(in_channels * out_height, hidden_channels),
            nn.ReLU(inplace=True), nn.LayerNorm(hidden_channels))
        lstm_hidden = hidden_channels // 2 if bidirectional \
            else hidden_channels
        self.lstm = nn.LSTM(
            hidden_channels,
            lstm_hidden,
            num_layers=num_layers,
            batch_first=True,
            bidirectional=bidirectional,
            dropout=dropout if num_layers > 1 else 0.)

    def forward(self, feats: Tensor, lengths: Tensor) -> Tuple[Tensor, Tensor]:
        """Encode the pooled RoI features.

        Args:
            feats (Tensor): Pooled features, shape (K, C, out_height, T),
                padded beyond each RoI's length (padding values are never
                read).
            lengths (Tensor): Valid widths, shape (K, ), integers in
                ``[1, T]``.

        Returns:
            tuple[Tensor, Tensor]:

            - sequence: (K, T, hidden_channels) per-column LSTM outputs,
              exactly zero at columns ``t >= lengths[k]``.
            - final: (K, hidden_channels) fixed-length region feature.
        """
        assert feats.dim() == 4, feats.shape
        num_rois, channels, height, max_len = feats.shape
        assert channels == self.in_channels and height == self.out_height, (
            f'expected C={self.in_channels}, H={self.out_height}, '
            f'got {tuple(feats.shape)}')
        assert lengths.numel() == num_rois
        if num_rois == 0:
            return (feats.new_zeros(0, max_len, self.hidden_channels),
                    feats.new_zeros(0, self.hidden_channels))
        lengths_cpu = lengths.detach().to('cpu', torch.int64)
        assert int(lengths_cpu.min()) >= 1 and \
            int(lengths_cpu.max()) <= max_len, (lengths_cpu, max_len)

        # (K, C, H, T) -> (K, T, C * H)
        columns = feats.permute(0, 3, 1, 2).reshape(num_rois, max_len,
                                                    channels * height)
        columns = self.column_proj(columns)
        packed = pack_padded_sequence(
            columns, lengths_cpu, batch_first=True, enforce_sorted=False)
        packed_out, (h_n, _) = self.lstm(packed)
        sequence, _ = pad_packed_sequence(
            packed_out, batch_first=True, total_length=max_len)
        # h_n: (num_layers * num_directions, K, lstm_hidden), already in the
        # original (unsorted) order.
        if self.bidirectional:
            final = torch.cat([h_n[-2], h_n[-1]], dim=-1)
        else:
            final = h_n[-1]
        return sequence, final
