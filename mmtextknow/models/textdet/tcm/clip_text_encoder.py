# Copyright (c) mmtextknow contributors. All rights reserved.
"""CLIP's text transformer operating on token embeddings, for TCM.

Unlike CLIP's ``encode_text`` it takes token *embeddings* (so learnable
context vectors and per-image offsets can be mixed in) and the index of the
end-of-text token, and it accepts sequences shorter than the pretrained
context length (the positional embedding is truncated). Parameter names match
the text-tower keys of CLIP checkpoints (``token_embedding.weight``,
``positional_embedding``, ``transformer.resblocks.*``, ``ln_final.*``,
``text_projection``).
"""
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmocr.registry import MODELS


@MODELS.register_module(name='TCMCLIPTextEncoder')
class CLIPTextEncoder(BaseModule):
    """CLIP's causal text transformer with a linear projection.

    Registered as ``'TCMCLIPTextEncoder'``: MMSegmentation 1.x registers a
    ``CLIPTextEncoder`` of its own.

    Args:
        context_length (int): Length of the (pretrained) positional
            embedding, the maximum sequence length. Defaults to 77.
        vocab_size (int): BPE vocabulary size. Defaults to 49408.
        width (int): Transformer width. Defaults to 512.
        heads (int): Attention heads. Defaults to 8.
        layers (int): Transformer layers. Defaults to 12.
        embed_dim (int): Output (joint embedding) dimension. Defaults to 1024.
        quick_gelu (bool): Use CLIP's ``QuickGELU`` activation in the MLPs,
            as OpenAI's checkpoints (and open_clip's ``*-quickgelu`` models)
            were trained with; ``False`` uses ``nn.GELU`` like open_clip's
            plain configs. Defaults to True.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 context_length: int = 77,
                 vocab_size: int = 49408,
                 width: int = 512,
                 heads: int = 8,
                 layers: int = 12,
                 embed_dim: int = 1024,
                 quick_gelu: bool = True,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.context_length = context_length
        self.vocab_size = vocab_size
        self.width = width
        self.embed_dim = embed_dim
        # open_clip is imported when a CLIP encoder is built, so that
        # importing mmtextknow does not load it.
        from open_clip.transformer import LayerNorm, QuickGELU, Transformer
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(
            torch.empty(context_length, width))
        self.transformer = Transformer(
            width=width,
            layers=layers,
            heads=heads,
            act_layer=QuickGELU if quick_gelu else nn.GELU,
            norm_layer=LayerNorm,
            batch_first=True)
        self.ln_final = LayerNorm(width)
        self.text_projection = nn.Parameter(torch.empty(width, embed_dim))
        self._mask_cache: Dict[Tuple[int, torch.device, torch.dtype],
                               Tensor] = {}
        self._init_clip_parameters()

    def _init_clip_parameters(self) -> None:
        """CLIP's initialisation (used until pretrained weights are loaded)."""
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)
        width, layers = self.transformer.width, self.transformer.layers
        proj_std = (width**-0.5) * ((2 * layers)**-0.5)
        attn_std = width**-0.5
        fc_std = (2 * width)**-0.5
        for block in self.transformer.resblocks:
            nn.init.normal_(block.attn.in_proj_weight, std=attn_std)
            nn.init.normal_(block.attn.out_proj.weight, std=proj_std)
            nn.init.normal_(block.mlp.c_fc.weight, std=fc_std)
            nn.init.normal_(block.mlp.c_proj.weight, std=proj_std)
        nn.init.normal_(self.text_projection, std=width**-0.5)

    def causal_mask(self, length: int, device: torch.device,
                    dtype: torch.dtype) -> Tensor:
        """Additive causal attention mask ``length x length`` (cached).

        Entries above the diagonal are ``-inf``, the rest 0.
        """
        key = (length, torch.device(device), dtype)
        mask = self._mask_cache.get(key)
        if mask is None:
            mask = torch.full((length, length),
                              float('-inf'),
                              device=device,
                              dtype=dtype).triu_(1)
            self._mask_cache[key] = mask
        return mask

    def embed_tokens(self, tokens: Tensor) -> Tensor:
        """Look up token embeddings.

        Args:
            tokens (LongTensor): BPE token ids of any shape ``(..., L)``.

        Returns:
            Tensor: ``(..., L, width)`` embeddings.
        """
        return self.token_embedding(tokens)

    def forward(self, embeddings: Tensor,
                eot_index: Union[Tensor, int]) -> Tensor:
        """Encode token embeddings into text embeddings.

        Args:
            embeddings (Tensor): ``(..., L, width)`` token embeddings, with
                ``L <= context_length``; the leading dimensions (e.g.
                ``B x K``) are flattened for the transformer and restored.
            eot_index (LongTensor or int): Position of the end-of-text token
                whose feature is projected: an int for all sequences, or a
                tensor broadcastable to the leading dimensions.

        Returns:
            Tensor: ``(..., embed_dim)`` text embeddings (not normalised).
        """
        if embeddings.dim() < 2 or embeddings.shape[-1] != self.width:
            raise ValueError(
                f'embeddings must be (..., L, {self.width}), got '
                f'{tuple(embeddings.shape)}')
        length = embeddings.shape[-2]
        if length > self.context_length:
            raise ValueError(f'sequence length {length} exceeds the context '
                             f'length {self.context_length}')
        lead = embeddings.shape[:-2]
        x = embeddings.reshape(-1, length, self.width)
        x = x + self.positional_embedding[:length].to(x.dtype)
        x = self.transformer(
            x, attn_mask=self.causal_mask(length, x.device, x.dtype))
        x = self.ln_final(x)

        n = x.shape[0]
        if isinstance(eot_index, int):
            x = x[:, eot_index]
        else:
            index = torch.as_tensor(eot_index, device=x.device).long()
            index = index.expand(lead).reshape(n)
            x = x[torch.arange(n, device=x.device), index]
        x = x @ self.text_projection.to(x.dtype)
        return x.reshape(*lead, self.embed_dim)

    def encode_tokens(self, tokens: Tensor) -> Tensor:
        """CLIP's ``encode_text``: EOT = the highest token id per sequence.

        Args:
            tokens (LongTensor): ``(..., L)`` BPE token ids.

        Returns:
            Tensor: ``(..., embed_dim)`` text embeddings.
        """
        return self(self.embed_tokens(tokens), tokens.argmax(dim=-1))
