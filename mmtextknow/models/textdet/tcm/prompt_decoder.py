# Copyright (c) mmtextknow contributors. All rights reserved.
"""The small transformer decoder shared by TCM's visual prompt generator and
context decoder.

Queries and memory (both ``in_channels`` wide, 1024 for CLIP RN50) are
projected to ``channels`` (256) with LayerNorm + Linear, go through
``num_layers`` pre-norm decoder layers (self-attention, cross-attention to
the memory, MLP), and are projected back to ``in_channels`` with LayerNorm +
Linear.
"""
from typing import Optional

import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor


def init_prompt_decoder_weights(module: nn.Module) -> None:
    """Truncated-normal (std 0.02) Linear weights with zero biases, unit /
    zero LayerNorms; meant for ``module.apply``."""
    if isinstance(module, nn.Linear):
        nn.init.trunc_normal_(module.weight, std=0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)


class PromptAttention(nn.Module):
    """Multi-head attention with separate query / key / value projections.

    ``softmax(q k^T / sqrt(d_head)) v`` per head, then an output projection.
    Unlike :class:`torch.nn.MultiheadAttention` the q / k / v biases and the
    output bias are separate switches: TCM's decoders have no q / k / v
    bias, an output bias, and no dropout on the attention weights.

    Args:
        embed_dims (int): Width of queries, keys and values.
        num_heads (int): Number of heads.
        qkv_bias (bool): Biases in the q / k / v projections. Defaults to
            False.
        attn_dropout (float): Dropout on the attention weights (training
            only). Defaults to 0.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 qkv_bias: bool = False,
                 attn_dropout: float = 0.) -> None:
        super().__init__()
        if embed_dims % num_heads != 0:
            raise ValueError(f'embed_dims ({embed_dims}) must be divisible '
                             f'by num_heads ({num_heads})')
        self.num_heads = num_heads
        self.attn_dropout = attn_dropout
        self.q_proj = nn.Linear(embed_dims, embed_dims, bias=qkv_bias)
        self.k_proj = nn.Linear(embed_dims, embed_dims, bias=qkv_bias)
        self.v_proj = nn.Linear(embed_dims, embed_dims, bias=qkv_bias)
        self.out_proj = nn.Linear(embed_dims, embed_dims)

    def _heads(self, x: Tensor) -> Tensor:
        b, n, c = x.shape
        return x.reshape(b, n, self.num_heads, c // self.num_heads
                         ).transpose(1, 2)  # B x heads x N x d_head

    def forward(self, query: Tensor, memory: Tensor) -> Tensor:
        """Attend from ``query`` (``B x N x d``) to ``memory``
        (``B x M x d``); returns ``B x N x d``."""
        b, n, c = query.shape
        out = F.scaled_dot_product_attention(
            self._heads(self.q_proj(query)),
            self._heads(self.k_proj(memory)),
            self._heads(self.v_proj(memory)),
            dropout_p=self.attn_dropout if self.training else 0.)
        return self.out_proj(out.transpose(1, 2).reshape(b, n, c))


@MODELS.register_module()
class PromptDecoderLayer(BaseModule):
    """One pre-norm transformer decoder layer.

    ``x = x + Drop(SelfAttn(LN(x)))``;
    ``x = x + Drop(CrossAttn(LN(x), memory))``;
    ``x = x + Drop(MLP(LN(x)))`` with ``MLP = Linear(d, r*d) -> GELU ->
    Dropout -> Linear(r*d, d)``. The attentions are
    :class:`PromptAttention`\ s.

    Args:
        embed_dims (int): Width ``d`` of queries and memory.
        num_heads (int): Number of attention heads. Defaults to 4.
        mlp_ratio (float): Hidden width of the MLP over ``embed_dims``.
            Defaults to 4.
        dropout (float): Dropout of the residual branches and the MLP
            hidden layer. Defaults to 0.1.
        attn_dropout (float): Dropout of the attention weights. Defaults to
            0 (TCM's decoders have none).
        qkv_bias (bool): Biases in the attentions' q / k / v projections.
            Defaults to False (as TCM's decoders).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int = 4,
                 mlp_ratio: float = 4.0,
                 dropout: float = 0.1,
                 attn_dropout: float = 0.,
                 qkv_bias: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if embed_dims % num_heads != 0:
            raise ValueError(f'embed_dims ({embed_dims}) must be divisible '
                             f'by num_heads ({num_heads})')
        hidden = int(embed_dims * mlp_ratio)
        self.norm_self = nn.LayerNorm(embed_dims)
        self.self_attn = PromptAttention(embed_dims, num_heads, qkv_bias,
                                         attn_dropout)
        self.norm_cross = nn.LayerNorm(embed_dims)
        self.cross_attn = PromptAttention(embed_dims, num_heads, qkv_bias,
                                          attn_dropout)
        self.norm_mlp = nn.LayerNorm(embed_dims)
        self.mlp = nn.Sequential(
            nn.Linear(embed_dims, hidden), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(hidden, embed_dims))
        self.dropout = nn.Dropout(dropout)

    def forward(self, query: Tensor, memory: Tensor) -> Tensor:
        """Forward function.

        Args:
            query (Tensor): ``B x N x d``.
            memory (Tensor): ``B x M x d``.

        Returns:
            Tensor: ``B x N x d``.
        """
        x = self.norm_self(query)
        query = query + self.dropout(self.self_attn(x, x))
        x = self.norm_cross(query)
        query = query + self.dropout(self.cross_attn(x, memory))
        query = query + self.dropout(self.mlp(self.norm_mlp(query)))
        return query


@MODELS.register_module()
class PromptDecoder(BaseModule):
    """Transformer decoder from ``in_channels`` back to ``in_channels``,
    working at width ``channels``.

    ``query -> LN -> Linear(in, d)``; ``memory -> LN -> Linear(in, d) ->
    LN`` (the memory is normalised once, the queries in every layer);
    ``num_layers`` x :class:`PromptDecoderLayer`; ``LN -> Linear(d, in)``.

    Args:
        in_channels (int): Width of queries, memory and output. Defaults
            to 1024.
        channels (int): Inner width ``d``. Defaults to 256.
        num_layers (int): Number of decoder layers. Defaults to 3.
        num_heads (int): Number of attention heads. Defaults to 4.
        mlp_ratio (float): MLP hidden width over ``channels``. Defaults
            to 4.
        dropout (float): Dropout of the residual branches. Defaults to 0.1.
        attn_dropout (float): Dropout of the attention weights. Defaults
            to 0.
        qkv_bias (bool): q / k / v biases in the attentions. Defaults to
            False.
        init_cfg (dict or list[dict], optional): Initialization config.
            Linear layers are initialised from a truncated normal (std
            0.02) with zero biases at construction. Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 1024,
                 channels: int = 256,
                 num_layers: int = 3,
                 num_heads: int = 4,
                 mlp_ratio: float = 4.0,
                 dropout: float = 0.1,
                 attn_dropout: float = 0.,
                 qkv_bias: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.channels = channels
        self.query_proj = nn.Sequential(
            nn.LayerNorm(in_channels), nn.Linear(in_channels, channels))
        self.memory_proj = nn.Sequential(
            nn.LayerNorm(in_channels), nn.Linear(in_channels, channels),
            nn.LayerNorm(channels))
        self.layers = nn.ModuleList([
            PromptDecoderLayer(channels, num_heads, mlp_ratio, dropout,
                               attn_dropout, qkv_bias)
            for _ in range(num_layers)
        ])
        self.out_proj = nn.Sequential(
            nn.LayerNorm(channels), nn.Linear(channels, in_channels))
        self.apply(init_prompt_decoder_weights)

    def forward(self, query: Tensor, memory: Tensor) -> Tensor:
        """Forward function.

        Args:
            query (Tensor): ``B x N x in_channels``.
            memory (Tensor): ``B x M x in_channels``.

        Returns:
            Tensor: ``B x N x in_channels``.
        """
        x = self.query_proj(query)
        memory = self.memory_proj(memory)
        for layer in self.layers:
            x = layer(x, memory)
        return self.out_proj(x)
