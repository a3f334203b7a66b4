# Copyright (c) mmtextknow contributors. All rights reserved.
"""TCM's text prompt: a predefined prompt with learnable context vectors.

The prompt is tokenised once at construction with CLIP's BPE tokenizer
(``open_clip.tokenize``; its vocabulary ships with open_clip, nothing is
downloaded) and kept as a buffer. At every forward pass the tokens are
embedded with the (frozen) CLIP token embedding, the learnable context
vectors are inserted right after the start-of-text token and, when given,
the per-image language prompt is added to every token::

    [SOT] [ctx_1 .. ctx_n] [the pixels of ... instances .] [EOT]
"""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor

#: TCM's predefined prompt: 14 tokens with the start / end tokens.
DEFAULT_TCM_PROMPT = 'the pixels of many arbitrary-shape text instances.'
#: Number of positions of CLIP's text positional embedding.
CLIP_CONTEXT_LENGTH = 77


@MODELS.register_module()
class TCMTextPrompt(BaseModule):
    """Text prompt of TCM: predefined prompt + learnable context tokens.

    With the default prompt ``'the pixels of many arbitrary-shape text
    instances.'`` the BPE tokenizer gives 14 tokens (SOT, 12 BPE tokens,
    EOT), so :attr:`length` is ``14 + num_context_tokens`` (18 with the
    default 4 context tokens). With ``predefined_prompt=None`` (the
    learnable-only ablation) the prompt is ``[SOT, ctx_1..ctx_n, EOT]`` and
    :attr:`length` is ``n + 2``. The EOT token is always last:
    :attr:`eot_index` is ``length - 1``.

    Args:
        width (int): Width of the token embeddings (512 for CLIP RN50).
            Defaults to 512.
        num_context_tokens (int): Number of learnable context vectors,
            inserted right after the start token (4 in TCM's IC15 / TD500
            configs, 32 in CTW / Total-Text). Defaults to 4.
        predefined_prompt (str, optional): The predefined prompt; ``None``
            (or an empty string) for a learnable-only prompt. Defaults to
            :data:`DEFAULT_TCM_PROMPT`.
        freeze_token_embedding (bool): Embed the tokens under
            ``torch.no_grad()`` (the text encoder is frozen in TCM, so no
            gradient is needed to the embedding table; the context vectors
            and the language prompt always get theirs). Set to False to
            fine-tune the token embedding. Defaults to True.
        context_std (float): The context vectors are initialised at
            construction from a normal distribution with this standard
            deviation, truncated at +-2 standard deviations. Defaults to 1
            (TCM's: ``trunc_normal_`` with its default std 1, i.e. the
            scale of unit-variance noise, not of CLIP's token embeddings).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Raises:
        ValueError: If there is neither a context token nor a predefined
            prompt, if ``num_context_tokens`` is negative, or if the whole
            prompt is longer than CLIP's 77 positions.
    """

    def __init__(self,
                 width: int = 512,
                 num_context_tokens: int = 4,
                 predefined_prompt: Optional[str] = DEFAULT_TCM_PROMPT,
                 freeze_token_embedding: bool = True,
                 context_std: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if context_std <= 0:
            raise ValueError(f'context_std must be > 0, got {context_std}')
        if num_context_tokens < 0:
            raise ValueError('num_context_tokens must be >= 0, got '
                             f'{num_context_tokens}')
        if predefined_prompt is not None and not predefined_prompt.strip():
            predefined_prompt = None
        if num_context_tokens == 0 and predefined_prompt is None:
            raise ValueError(
                'TCMTextPrompt needs learnable context tokens '
                '(num_context_tokens > 0) or a predefined prompt (or both); '
                'got num_context_tokens=0 and predefined_prompt=None')
        self.width = width
        self.num_context_tokens = num_context_tokens
        self.predefined_prompt = predefined_prompt
        self.freeze_token_embedding = freeze_token_embedding

        # [1, 77] padded with 0; an empty text gives [SOT, EOT, 0, ...].
        import open_clip  # loaded on first use, not with mmtextknow
        padded = open_clip.tokenize([predefined_prompt or ''])
        num_tokens = int((padded[0] != 0).sum())
        if num_tokens + num_context_tokens > CLIP_CONTEXT_LENGTH:
            raise ValueError(
                f'The prompt has {num_tokens} tokens + {num_context_tokens} '
                'context tokens, more than CLIP\'s '
                f'{CLIP_CONTEXT_LENGTH} positions')
        # SOT, prompt BPE tokens, EOT: [1, P].
        self.register_buffer(
            'tokens', padded[:, :num_tokens].clone(), persistent=False)

        if num_context_tokens > 0:
            self.context = nn.Parameter(torch.empty(num_context_tokens,
                                                    width))
            nn.init.trunc_normal_(
                self.context,
                std=context_std,
                a=-2 * context_std,
                b=2 * context_std)
        else:
            self.register_parameter('context', None)

    @property
    def num_prompt_tokens(self) -> int:
        """Number of tokens of the predefined prompt, SOT and EOT
        included (14 for the default prompt, 2 without a prompt)."""
        return self.tokens.shape[1]

    @property
    def length(self) -> int:
        """Total number of tokens: prompt tokens + context tokens."""
        return self.num_prompt_tokens + self.num_context_tokens

    @property
    def eot_index(self) -> int:
        """Index of the end-of-text token in the prompt (the last one)."""
        return self.length - 1

    def forward(self,
                token_embedding: nn.Embedding,
                language_prompt: Optional[Tensor] = None) -> Tensor:
        """Build the prompt's token embeddings.

        Args:
            token_embedding (nn.Embedding): CLIP's token embedding table
                (``num_embeddings x width``).
            language_prompt (Tensor, optional): The language prompt of
                each image, ``B x width``, added to every token. Defaults to
                None.

        Returns:
            Tensor: ``1 x length x width`` without a language prompt,
            ``B x length x width`` with one.
        """
        if token_embedding.embedding_dim != self.width:
            raise ValueError(
                f'token_embedding has width {token_embedding.embedding_dim}'
                f', the prompt expects {self.width}')
        tokens = self.tokens.to(token_embedding.weight.device)
        if self.freeze_token_embedding:
            with torch.no_grad():
                embedded = token_embedding(tokens)  # 1 x P x width
        else:
            embedded = token_embedding(tokens)
        if self.context is not None:
            context = self.context.to(embedded.dtype).unsqueeze(0)
            embedded = torch.cat(
                [embedded[:, :1], context, embedded[:, 1:]], dim=1)
        if language_prompt is not None:
            if language_prompt.dim() != 2 or \
                    language_prompt.shape[1] != self.width:
                raise ValueError('language_prompt must be B x '
                                 f'{self.width}, got '
                                 f'{tuple(language_prompt.shape)}')
            embedded = embedded + language_prompt.unsqueeze(1).to(
                embedded.dtype)
        return embedded

    def extra_repr(self) -> str:
        return (f'width={self.width}, '
                f'num_context_tokens={self.num_context_tokens}, '
                f'predefined_prompt={self.predefined_prompt!r}, '
                f'length={self.length}')
