# Copyright (c) mmtextknow contributors. All rights reserved.
"""TCM's prompt generators and context decoder.

* :class:`LanguagePromptGenerator`: global image embedding -> language
  prompt added to every token of the text prompt.
* :class:`VisualPromptGenerator`: pixel embeddings attend to the text
  embedding; ``dense += vis_gamma * output`` (scalar ``vis_gamma``).
* :class:`ContextDecoder`: the text embedding attends to the global and
  pixel embeddings; ``text += gamma * output`` (per-channel ``gamma``).

The last two are :class:`GatedPromptDecoder`\ s: a
:class:`~mmtextknow.models.textdet.tcm.prompt_decoder.PromptDecoder` added
to its queries through a learnable gate.
"""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor

from .prompt_decoder import PromptDecoder, init_prompt_decoder_weights


def _batched_text(text: Tensor, batch_size: int) -> Tensor:
    """``K x D`` (shared by the images) or ``B x K x D`` -> ``B x K x D``."""
    if text.dim() == 2:
        text = text.unsqueeze(0)
    if text.dim() != 3:
        raise ValueError('text must be K x D or B x K x D, got '
                         f'{tuple(text.shape)}')
    if text.shape[0] == 1 and batch_size != 1:
        text = text.expand(batch_size, -1, -1)
    return text


@MODELS.register_module()
class LanguagePromptGenerator(BaseModule):
    """Language prompt generator of TCM.

    ``LN -> Linear(in, hidden) -> ReLU -> LN -> Linear(hidden, out)`` on the
    global image embedding.

    Args:
        in_channels (int): Width of the global image embedding (CLIP's
            embed_dim, 1024 for RN50). Defaults to 1024.
        hidden_channels (int): Hidden width. Defaults to 1024.
        out_channels (int): Width of the token embeddings (512 for RN50).
            Defaults to 512.
        init_cfg (dict or list[dict], optional): Initialization config.
            The Linear layers are initialised at construction from a
            truncated normal (std 0.02) with zero biases, as TCM's.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 1024,
                 hidden_channels: int = 1024,
                 out_channels: int = 512,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.layers = nn.Sequential(
            nn.LayerNorm(in_channels), nn.Linear(in_channels,
                                                 hidden_channels),
            nn.ReLU(inplace=True), nn.LayerNorm(hidden_channels),
            nn.Linear(hidden_channels, out_channels))
        self.apply(init_prompt_decoder_weights)

    def forward(self, global_embedding: Tensor) -> Tensor:
        """Forward function.

        Args:
            global_embedding (Tensor): ``B x in_channels``.

        Returns:
            Tensor: The language prompt, ``B x out_channels``.
        """
        return self.layers(global_embedding)


class GatedPromptDecoder(BaseModule):
    """A :class:`PromptDecoder` whose output is added to its queries through
    a learnable gate: ``query' = query + gamma * decoder(query, memory)``.

    The two TCM modules built on it differ in the gate only: its parameter
    name (``gamma_name``, the authors' names, so their checkpoints' keys
    match) and whether it is a scalar or a ``D``-vector
    (``per_channel_gamma``).

    Args:
        in_channels (int): Width ``D`` of the embeddings. Defaults to 1024.
        channels (int): Inner width of the decoder. Defaults to 256.
        num_layers (int): Number of decoder layers. Defaults to 3.
        num_heads (int): Number of attention heads. Defaults to 4.
        dropout (float): Dropout of the decoder's residual branches.
            Defaults to 0.1.
        attn_dropout (float): Dropout of its attention weights. Defaults
            to 0 (TCM's).
        qkv_bias (bool): q / k / v biases in its attentions. Defaults to
            False (TCM's).
        gamma_init (float): Initial value of (every entry of) the gate.
            Defaults to 1e-3.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    gamma_name: str = 'gamma'
    per_channel_gamma: bool = True

    def __init__(self,
                 in_channels: int = 1024,
                 channels: int = 256,
                 num_layers: int = 3,
                 num_heads: int = 4,
                 dropout: float = 0.1,
                 attn_dropout: float = 0.,
                 qkv_bias: bool = False,
                 gamma_init: float = 1e-3,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.decoder = PromptDecoder(
            in_channels=in_channels,
            channels=channels,
            num_layers=num_layers,
            num_heads=num_heads,
            dropout=dropout,
            attn_dropout=attn_dropout,
            qkv_bias=qkv_bias)
        shape = (in_channels, ) if self.per_channel_gamma else ()
        self.register_parameter(
            self.gamma_name,
            nn.Parameter(torch.full(shape, float(gamma_init))))

    def gated_residual(self, query: Tensor, memory: Tensor) -> Tensor:
        """``query + gamma * decoder(query, memory)`` (``B x N x D``)."""
        gamma = getattr(self, self.gamma_name)
        return query + gamma * self.decoder(query, memory)


@MODELS.register_module()
class VisualPromptGenerator(GatedPromptDecoder):
    """Visual prompt generator of TCM.

    The pixel embeddings are the decoder's queries and the text embedding
    its memory: ``dense' = dense + vis_gamma * decoder(pixels, text)``, with
    ``vis_gamma`` a learnable scalar starting at ``gamma_init``. Arguments:
    see :class:`GatedPromptDecoder`.
    """

    gamma_name = 'vis_gamma'
    per_channel_gamma = False

    def forward(self, dense: Tensor, text: Tensor) -> Tensor:
        """Forward function.

        Args:
            dense (Tensor): Pixel embeddings, ``B x D x h x w``.
            text (Tensor): Text embeddings, ``B x K x D`` (or ``K x D``,
                shared by the images).

        Returns:
            Tensor: The prompted pixel embeddings, ``B x D x h x w``.
        """
        B, D, h, w = dense.shape
        text = _batched_text(text, B)
        pixels = dense.flatten(2).transpose(1, 2)  # B x hw x D
        out = self.gated_residual(pixels, text)
        return out.transpose(1, 2).reshape(B, D, h, w)


@MODELS.register_module()
class ContextDecoder(GatedPromptDecoder):
    """Context decoder of TCM (DenseCLIP-style post-model prompting).

    The text embedding is the decoder's query and ``[global; pixels]`` its
    memory: ``text' = text + gamma * decoder(text, [global; pixels])``, with
    ``gamma`` a learnable ``D``-vector starting at ``gamma_init``.
    Arguments: see :class:`GatedPromptDecoder`.
    """

    gamma_name = 'gamma'
    per_channel_gamma = True

    def forward(self, text: Tensor, global_embedding: Tensor,
                dense: Tensor) -> Tensor:
        """Forward function.

        Args:
            text (Tensor): Text embeddings, ``B x K x D`` (or ``K x D``,
                shared by the images).
            global_embedding (Tensor): ``B x D``.
            dense (Tensor): Pixel embeddings, ``B x D x h x w``.

        Returns:
            Tensor: The refined text embeddings, ``B x K x D``.
        """
        B = dense.shape[0]
        text = _batched_text(text, B)
        memory = torch.cat([
            global_embedding.unsqueeze(1),
            dense.flatten(2).transpose(1, 2)
        ], dim=1)  # B x (1 + hw) x D
        return self.gated_residual(text, memory)
