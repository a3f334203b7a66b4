# Copyright (c) mmtextknow contributors. All rights reserved.
"""CLIP's modified ResNet as a multi-scale image encoder for TCM.

The network itself is open_clip's :class:`~open_clip.modified_resnet.\
ModifiedResNet` (3-conv stem, anti-aliased strided blocks, attention
pooling), held as ``self.visual`` so that parameter names match the
``visual.*`` keys of CLIP checkpoints. :meth:`CLIPResNet.forward` returns the
stage outputs C2..C5 for a detector neck; :meth:`CLIPResNet.embed` applies the
attention pool to C5 at any resolution and returns a global image embedding
and dense per-pixel embeddings.

The dense embeddings are, by default, the attention pool's output for every
spatial token: each token (with its interpolated positional embedding) is a
query of the pool's multi-head attention over all tokens, through its
q / k / v / c projections, as in DenseCLIP and TCM. The value path alone,
``c_proj(v_proj(token))`` without attention mixing (MaskCLIP), is the option
``dense_mode='value'``.
"""
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmocr.registry import MODELS

#: Ways of computing the dense embeddings (see :class:`CLIPResNet`).
DENSE_MODES = ('attention', 'value')


def resize_pos_embed(pos: Tensor, grid: Tuple[int, int],
                     size: Tuple[int, int]) -> Tensor:
    """Bilinearly resize an attention-pool positional embedding.

    Args:
        pos (Tensor): ``(1 + gh * gw) x C``: the mean-token row, then the
            spatial rows of a ``gh x gw`` grid in row-major order.
        grid (tuple[int, int]): ``(gh, gw)``.
        size (tuple[int, int]): The new grid ``(h, w)``.

    Returns:
        Tensor: ``(1 + h * w) x C``, the mean-token row unchanged.
    """
    (gh, gw), (h, w) = grid, size
    if pos.shape[0] != 1 + gh * gw:
        raise ValueError(f'positional embedding of {pos.shape[0]} rows is '
                         f'not 1 + {gh} x {gw}')
    cls_pos, spatial = pos[:1], pos[1:]
    channels = spatial.shape[-1]
    spatial = spatial.reshape(1, gh, gw, channels).permute(0, 3, 1, 2)
    spatial = F.interpolate(
        spatial, size=(h, w), mode='bilinear', align_corners=False)
    spatial = spatial.permute(0, 2, 3, 1).reshape(h * w, channels)
    return torch.cat([cls_pos, spatial], dim=0)


@MODELS.register_module(name='TCMCLIPResNet')
class CLIPResNet(BaseModule):
    """CLIP's modified ResNet returning C2..C5 and (on demand) embeddings.

    Registered as ``'TCMCLIPResNet'``: MMOCR 1.x already registers an
    unrelated ``'CLIPResNet'`` (an mmdet ResNet variant) in ``MODELS``.

    Args:
        layers (Sequence[int]): Number of bottleneck blocks per stage.
            Defaults to ``(3, 4, 6, 3)`` (RN50).
        width (int): Width of the stem; stage ``i`` outputs
            ``width * 4 * 2**i`` channels. Defaults to 64.
        embed_dim (int): Output dimension of the attention pooling (CLIP's
            joint embedding size). Defaults to 1024.
        heads (int): Attention heads of the attention pooling. Defaults to 32.
        pretrain_img_size (int): Image size the attention pool's positional
            embedding is made for: it covers a ``(pretrain_img_size // 32)
            ** 2`` grid (CLIP's own: 224, a 7x7 grid). A CLIP file of
            another grid is resized to it when loaded
            (:func:`~mmtextknow.models.textdet.tcm.clip_weights.\
load_clip_weights`), so that e.g. 640 learns a 20x20 positional embedding
            as TCM's authors do. Defaults to 224.
        out_indices (Sequence[int]): Stages (0 = layer1 / C2, ...,
            3 = layer4 / C5) returned by :meth:`forward`.
            Defaults to ``(0, 1, 2, 3)``.
        dense_mode (str): How :meth:`embed` computes the dense embeddings:
            ``'attention'`` (every spatial token a query of the attention
            pool's multi-head attention over all tokens; DenseCLIP / TCM) or
            ``'value'`` (``c_proj(v_proj(token))``, the value path without
            attention mixing; MaskCLIP; cheaper). Defaults to
            ``'attention'``.
        init_cfg (dict or list[dict], optional): Initialisation config.
            CLIP weights are normally loaded with
            :func:`~mmtextknow.models.textdet.tcm.clip_weights.\
load_clip_weights`.
    """

    def __init__(self,
                 layers: Sequence[int] = (3, 4, 6, 3),
                 width: int = 64,
                 embed_dim: int = 1024,
                 heads: int = 32,
                 pretrain_img_size: int = 224,
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 dense_mode: str = 'attention',
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(layers) != 4:
            raise ValueError(f'layers must have 4 entries, got {layers}')
        if pretrain_img_size % 32 != 0:
            raise ValueError('pretrain_img_size must be divisible by 32, '
                             f'got {pretrain_img_size}')
        out_indices = tuple(int(i) for i in out_indices)
        if not out_indices or any(i not in range(4) for i in out_indices):
            raise ValueError(
                f'out_indices must be a non-empty subset of 0..3, '
                f'got {out_indices}')
        if dense_mode not in DENSE_MODES:
            raise ValueError(f'dense_mode must be one of {DENSE_MODES}, '
                             f'got {dense_mode!r}')
        self.dense_mode = dense_mode
        self.layers = tuple(layers)
        self.width = width
        self.embed_dim = embed_dim
        self.heads = heads
        self.pretrain_img_size = pretrain_img_size
        self.out_indices = out_indices
        # open_clip is imported when a CLIP encoder is built, so that
        # importing mmtextknow does not load it.
        from open_clip.modified_resnet import ModifiedResNet
        self.visual = ModifiedResNet(
            layers=list(layers),
            output_dim=embed_dim,
            heads=heads,
            image_size=pretrain_img_size,
            width=width)

    @property
    def out_channels(self) -> List[int]:
        """Channels of each output of :meth:`forward` (one per out index)."""
        return [self.width * 4 * 2**i for i in self.out_indices]

    @property
    def feat_dim(self) -> int:
        """Channels of C5, the input of the attention pooling."""
        return self.width * 32

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Compute the selected stage outputs.

        Args:
            x (Tensor): Images ``B x 3 x H x W``.

        Returns:
            tuple[Tensor]: Stage outputs for :attr:`out_indices`, stage ``i``
            of shape ``B x (width * 4 * 2**i) x H / 2**(i+2) x W / 2**(i+2)``.
            The attention pooling is not run here; see :meth:`embed`.
        """
        visual = self.visual
        x = visual.stem(x)
        stages = (visual.layer1, visual.layer2, visual.layer3, visual.layer4)
        outs = []
        for i in range(max(self.out_indices) + 1):
            x = stages[i](x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)

    def interpolate_pos_embed(self, h: int, w: int) -> Tensor:
        """Attention-pool positional embedding resized to an ``h x w`` grid.

        The first (mean/class token) row is kept as is; the spatial rows are
        bilinearly resized from the pretrain grid. At the pretrain grid size
        the embedding is returned unchanged.

        Args:
            h (int): Grid height (C5 height).
            w (int): Grid width (C5 width).

        Returns:
            Tensor: ``(1 + h * w) x C`` positional embedding.
        """
        pos = self.visual.attnpool.positional_embedding
        grid = self.pretrain_img_size // 32
        if (h, w) == (grid, grid):
            return pos
        return resize_pos_embed(pos, (grid, grid), (h, w))

    def _pool_mean_token(self, x: Tensor, values: Tensor) -> Tensor:
        """CLIP's attention pooling for the mean token alone, before the
        output projection: ``B x C``.

        Only the mean token's output is needed, so rather than projecting
        every token to a key (``(1+HW) x C x C`` multiply-adds) the query is
        moved to the token side: per head, ``q . (W_k x + b_k) = (W_k^T q)
        . x + const``, and the constant cancels in the softmax. Equal to
        row 0 of CLIP's multi-head attention.

        Args:
            x (Tensor): Tokens with positional embedding, ``(1+HW) x B x C``.
            values (Tensor): Their value projections, ``(1+HW) x B x C``.
        """
        attnpool = self.visual.attnpool
        num_tokens, b, c = x.shape
        heads = attnpool.num_heads
        head_dim = c // heads
        query = attnpool.q_proj(x[0]).reshape(b, heads, head_dim)
        key_weight = attnpool.k_proj.weight.reshape(heads, head_dim, c)
        query_in_tokens = torch.einsum('bhd,hdc->bhc', query, key_weight)
        scores = torch.einsum('nbc,bhc->bhn', x, query_in_tokens)
        attention = (scores * head_dim**-0.5).softmax(dim=-1)
        pooled = torch.einsum('bhn,nbhd->bhd', attention,
                              values.reshape(num_tokens, b, heads, head_dim))
        return pooled.reshape(b, c)

    def pool_tokens(self, c5: Tensor) -> Tensor:
        """The attention pool's input tokens: ``(1 + h*w) x B x C``, the mean
        token first, each with its (interpolated) positional embedding."""
        b, c, h, w = c5.shape
        x = c5.reshape(b, c, h * w).permute(2, 0, 1)  # (HW)BC
        x = torch.cat([x.mean(dim=0, keepdim=True), x], dim=0)  # (1+HW)BC
        return x + self.interpolate_pos_embed(h, w)[:, None, :].to(x.dtype)

    def attend_all_tokens(self, x: Tensor) -> Tensor:
        """The attention pool's multi-head attention with every token as a
        query: ``(1 + h*w) x B x D`` (row 0 is CLIP's image feature).

        Args:
            x (Tensor): Tokens from :meth:`pool_tokens`.
        """
        attnpool = self.visual.attnpool
        out, _ = F.multi_head_attention_forward(
            query=x,
            key=x,
            value=x,
            embed_dim_to_check=x.shape[-1],
            num_heads=attnpool.num_heads,
            q_proj_weight=attnpool.q_proj.weight,
            k_proj_weight=attnpool.k_proj.weight,
            v_proj_weight=attnpool.v_proj.weight,
            in_proj_weight=None,
            in_proj_bias=torch.cat([
                attnpool.q_proj.bias, attnpool.k_proj.bias,
                attnpool.v_proj.bias
            ]),
            bias_k=None,
            bias_v=None,
            add_zero_attn=False,
            dropout_p=0.,
            out_proj_weight=attnpool.c_proj.weight,
            out_proj_bias=attnpool.c_proj.bias,
            use_separate_proj_weight=True,
            training=self.training,
            need_weights=False)
        return out

    def embed(self, c5: Tensor) -> Tuple[Tensor, Tensor]:
        """Attention-pool C5 into a global and dense CLIP embeddings.

        Args:
            c5 (Tensor): The last stage output ``B x (width * 32) x h x w``.

        Returns:
            tuple[Tensor, Tensor]:

            - global_embedding: ``B x embed_dim``, the attention-pool output
              of the mean token (identical to CLIP's image feature at the
              pretrain size).
            - dense_embedding: ``B x embed_dim x h x w``. With
              ``dense_mode='attention'`` the attention-pool output of every
              spatial token as a query; with ``'value'``
              ``c_proj(v_proj(token + pos))`` per spatial token.
        """
        b, _, h, w = c5.shape
        x = self.pool_tokens(c5)
        if self.dense_mode == 'attention':
            out = self.attend_all_tokens(x)  # (1+HW)BD
            global_embedding, dense = out[0], out[1:]
        else:
            attnpool = self.visual.attnpool
            # The value projection is shared by both outputs.
            values = attnpool.v_proj(x)  # (1+HW)BC
            dense = attnpool.c_proj(values[1:])  # (HW)BD
            global_embedding = attnpool.c_proj(
                self._pool_mean_token(x, values))  # B x D
        dense = dense.permute(1, 2, 0).reshape(b, -1, h, w)
        return global_embedding, dense
