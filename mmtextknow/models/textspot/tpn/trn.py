# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text Recognition Network (TRN) of TPN (Li, Wang, Shen, ICCV 2017).

An LSTM decoder with additive (Bahdanau) attention over the per-column
outputs of the Region Feature Encoder. At step ``t``, with decoder state
``(s_{t-1}, c_{t-1})``, encoder columns ``x_1..x_T`` (``T_k`` valid)::

    e_{t,i}  = v^T tanh(W s_{t-1} + U x_i + b)        (i < T_k, else -inf)
    a_t      = softmax_i(e_t)
    g_t      = sum_i a_{t,i} x_i                       (context)
    s_t, c_t = LSTMCell([E y_{t-1}; g_t], (s_{t-1}, c_{t-1}))
    logits_t = W_o [s_t; g_t] + b_o

``y_0`` is the start token. Training uses teacher forcing; testing decodes
greedily until every sequence has produced the end token (or ``max_len``).

Character set (:class:`TPNCharset`): 26 case-insensitive letters, 10
digits, ONE class for every punctuation mark, and the end token, i.e. 38
classes. It subclasses MMOCR's :class:`Dictionary` with
``with_start=with_end=same_start_end=True`` so the start and end tokens
share one index (``'<BOS/EOS>'``, index 37; the decoder feeds it as the
start symbol and predicts it as the end symbol), no padding class
(targets are padded with ``ignore_index`` instead) and
``with_unknown=True, unknown_token=None`` so characters outside the set
(spaces, non-ASCII letters, ...) are skipped by ``str2idx``. Text is
normalised before ``str2idx``: NFKD-decomposed with combining marks dropped
(so accented Latin letters become their base letter, ``'é' -> 'e'``),
lower-cased, and every punctuation / symbol
character (unicode category ``P*`` or ``S*``, which covers all of
``string.punctuation``) replaced by the punctuation class's representative
character ``punct_char`` (default ``'.'``); ``idx2str`` therefore returns
lower-case text with ``punct_char`` for every punctuation mark.
"""
import string
import unicodedata
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS, TASK_UTILS
from .varying_width_roi import sequence_mask


@TASK_UTILS.register_module()
class TPNCharset(Dictionary):
    """TPN's 38-class character set on top of MMOCR's :class:`Dictionary`.

    Index layout: ``0-9`` digits, ``10-35`` letters ``a-z``, ``36`` the
    punctuation class (shown as ``punct_char``), ``37`` the shared
    start / end token ``'<BOS/EOS>'`` (``start_idx == end_idx == 37``).

    Args:
        punct_char (str): The single character representing the
            punctuation class in ``dict`` and in decoded strings. Must not
            be a letter or digit. Defaults to ``'.'``.
        start_end_token (str): Name of the shared start / end token.
            Defaults to ``'<BOS/EOS>'``.
    """

    def __init__(self,
                 punct_char: str = '.',
                 start_end_token: str = '<BOS/EOS>') -> None:
        assert len(punct_char) == 1 and not punct_char.isalnum(), punct_char
        # Dictionary.__init__ requires a dict file; set the same attributes
        # here and reuse its token bookkeeping (_update_dict).
        self.with_start = True
        self.with_end = True
        self.same_start_end = True
        self.with_padding = False
        self.with_unknown = True
        self.start_end_token = start_end_token
        self.start_token = '<BOS>'
        self.end_token = '<EOS>'
        self.padding_token = '<PAD>'
        self.unknown_token = None
        self.punct_char = punct_char
        self._dict = list(string.digits + string.ascii_lowercase) + \
            [punct_char]
        self._update_dict()
        self.punct_idx = self._char2idx[punct_char]

    @staticmethod
    def is_punctuation(char: str) -> bool:
        """Whether ``char`` falls into the punctuation class (unicode
        category ``P*`` or ``S*``)."""
        return unicodedata.category(char)[0] in 'PS'

    def normalize(self, text: str) -> str:
        """Fold ``text`` onto the 38-class alphabet.

        NFKD-decompose and drop combining marks (``'é' -> 'e'``), lower-case,
        map all punctuation / symbols to ``punct_char``. Other characters
        outside the set are kept (``str2idx`` skips them).
        """
        text = unicodedata.normalize('NFKD', text)
        return ''.join(
            self.punct_char if self.is_punctuation(c) else c
            for c in text.lower() if unicodedata.category(c) != 'Mn')

    def str2idx(self, string: str) -> List[int]:
        """Normalise ``string`` and convert it to indices (no end token;
        characters outside the set are skipped)."""
        return super().str2idx(self.normalize(string))

    def encode_words(self,
                     words: Sequence[str],
                     ignore_index: int = -100,
                     device: Optional[Union[str, torch.device]] = None
                     ) -> Tuple[Tensor, Tensor]:
        """Words -> padded decoder targets, each ending with the end token.

        Args:
            words (Sequence[str]): K transcripts.
            ignore_index (int): Padding value. Defaults to -100.
            device (str or torch.device, optional): Target device.

        Returns:
            tuple[Tensor, Tensor]:

            - targets: LongTensor (K, L), ``L = max(len) + 1``, the indices
              followed by ``end_idx`` then ``ignore_index`` padding.
            - lengths: LongTensor (K, ), number of tokens including END.
        """
        seqs = [self.str2idx(w) + [self.end_idx] for w in words]
        max_len = max((len(s) for s in seqs), default=1)
        targets = torch.full((len(seqs), max_len),
                             ignore_index,
                             dtype=torch.long)
        for k, seq in enumerate(seqs):
            targets[k, :len(seq)] = torch.tensor(seq, dtype=torch.long)
        lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
        return targets.to(device), lengths.to(device)

    def decode_indices(self, indices: Union[Tensor, Sequence[Sequence[int]]]
                       ) -> List[str]:
        """Index sequences -> strings, stopping at the first end token.

        Negative indices (padding) are skipped.
        """
        if isinstance(indices, Tensor):
            indices = indices.tolist()
        words = []
        for seq in indices:
            chars = []
            for i in seq:
                if i == self.end_idx:
                    break
                if i >= 0:
                    chars.append(self._dict[i])
            words.append(''.join(chars))
        return words


@MODELS.register_module()
class TextRecognitionNetwork(BaseModule):
    """Attention LSTM decoder of TPN.

    Args:
        in_channels (int): Channels of the encoder's per-column outputs.
            Defaults to 256.
        dictionary (dict or Dictionary): The character set; a config is
            built with ``TASK_UTILS``. Must have ``end_idx``; its
            ``start_idx`` (or ``end_idx`` if None) is the first input.
            Defaults to ``dict(type='TPNCharset')`` (38 classes).
        embed_dims (int): Character embedding size. Defaults to 256.
        hidden_channels (int): Decoder LSTM size. Defaults to 256.
        attn_channels (int): Attention MLP size. Defaults to 256.
        max_len (int): Default maximum decoding steps at test time.
            Defaults to 32.
        ignore_index (int): Target padding value. Defaults to -100.
        loss_normalize (str): ``'region'`` (paper: summed token
            cross-entropy divided by the number of positive regions) or
            ``'token'`` (mean over valid tokens). Defaults to ``'region'``.
        loss_weight (float): Loss weight. Defaults to 1.0.
        init_cfg (dict or list[dict], optional): Initialization configs.
    """

    def __init__(self,
                 in_channels: int = 256,
                 dictionary: Union[Dict, Dictionary] = dict(type='TPNCharset'),
                 embed_dims: int = 256,
                 hidden_channels: int = 256,
                 attn_channels: int = 256,
                 max_len: int = 32,
                 ignore_index: int = -100,
                 loss_normalize: str = 'region',
                 loss_weight: float = 1.0,
                 init_cfg: Optional[Dict] = dict(
                     type='Xavier', layer='Linear',
                     distribution='uniform')) -> None:
        super().__init__(init_cfg=init_cfg)
        if isinstance(dictionary, dict):
            dictionary = TASK_UTILS.build(dictionary)
        assert isinstance(dictionary, Dictionary), type(dictionary)
        assert dictionary.end_idx is not None, 'needs an end token'
        assert loss_normalize in ('region', 'token'), loss_normalize
        self.dictionary = dictionary
        self.num_classes = dictionary.num_classes
        self.start_idx = dictionary.start_idx \
            if dictionary.start_idx is not None else dictionary.end_idx
        self.end_idx = dictionary.end_idx
        self.in_channels = in_channels
        self.hidden_channels = hidden_channels
        self.max_len = max_len
        self.ignore_index = ignore_index
        self.loss_normalize = loss_normalize
        self.loss_weight = loss_weight

        self.embedding = nn.Embedding(self.num_classes, embed_dims)
        self.attn_query = nn.Linear(hidden_channels, attn_channels)
        self.attn_key = nn.Linear(in_channels, attn_channels, bias=False)
        self.attn_score = nn.Linear(attn_channels, 1, bias=False)
        self.cell = nn.LSTMCell(embed_dims + in_channels, hidden_channels)
        self.classifier = nn.Linear(hidden_channels + in_channels,
                                    self.num_classes)

    def attention(self, keys: Tensor, sequence: Tensor, mask: Tensor,
                  state: Tensor) -> Tuple[Tensor, Tensor]:
        """Additive attention.

        Args:
            keys (Tensor): (K, T, attn_channels) projected columns
                ``U x_i``.
            sequence (Tensor): (K, T, in_channels) encoder columns.
            mask (Tensor): (K, T) bool, True at valid columns.
            state (Tensor): (K, hidden_channels) decoder state ``s_{t-1}``.

        Returns:
            tuple[Tensor, Tensor]: context (K, in_channels) and weights
            (K, T), exactly 0 at invalid columns.
        """
        energy = self.attn_score(
            torch.tanh(keys + self.attn_query(state)[:, None, :])).squeeze(-1)
        energy = energy.masked_fill(~mask, float('-inf'))
        weights = torch.softmax(energy, dim=-1)
        context = torch.bmm(weights[:, None, :], sequence).squeeze(1)
        return context, weights

    def _init(self, sequence: Tensor, lengths: Tensor
              ) -> Tuple[Tensor, Tensor, Tuple[Tensor, Tensor]]:
        num_rois, max_cols = sequence.shape[:2]
        assert lengths.numel() == num_rois
        if num_rois > 0:
            assert int(lengths.min()) >= 1, 'every region needs a column'
        mask = sequence_mask(lengths.to(sequence.device), max_cols)
        keys = self.attn_key(sequence)
        zeros = sequence.new_zeros(num_rois, self.hidden_channels)
        return mask, keys, (zeros, zeros.clone())

    def _step(self, tokens: Tensor, keys: Tensor, sequence: Tensor,
              mask: Tensor, state: Tuple[Tensor, Tensor]
              ) -> Tuple[Tensor, Tuple[Tensor, Tensor], Tensor]:
        context, weights = self.attention(keys, sequence, mask, state[0])
        inp = torch.cat([self.embedding(tokens), context], dim=-1)
        h, c = self.cell(inp, state)
        logits = self.classifier(torch.cat([h, context], dim=-1))
        return logits, (h, c), weights

    def forward_train(self,
                      sequence: Tensor,
                      lengths: Tensor,
                      targets: Tensor,
                      return_attention: bool = False
                      ) -> Union[Tensor, Tuple[Tensor, Tensor]]:
        """Teacher-forced decoding.

        Args:
            sequence (Tensor): (K, T, in_channels) encoder columns (zero /
                ignored beyond each length).
            lengths (Tensor): (K, ) valid columns, >= 1.
            targets (Tensor): (K, L) target indices ending with
                ``end_idx``, padded with ``ignore_index``.
            return_attention (bool): Also return the attention weights.

        Returns:
            Tensor: logits (K, L, num_classes); with ``return_attention``
            also the weights (K, L, T).
        """
        mask, keys, state = self._init(sequence, lengths)
        num_rois, num_steps = targets.shape
        # Input at step t: start token, then the previous target (padding
        # replaced by the end token; those steps are not in the loss).
        prev = targets[:, :-1].masked_fill(targets[:, :-1] < 0, self.end_idx)
        inputs = torch.cat(
            [targets.new_full((num_rois, 1), self.start_idx), prev], dim=1)
        all_logits, all_weights = [], []
        for t in range(num_steps):
            logits, state, weights = self._step(inputs[:, t], keys, sequence,
                                                mask, state)
            all_logits.append(logits)
            all_weights.append(weights)
        logits = torch.stack(all_logits, dim=1) if all_logits else \
            sequence.new_zeros(num_rois, 0, self.num_classes)
        if return_attention:
            weights = torch.stack(all_weights, dim=1) if all_weights else \
                sequence.new_zeros(num_rois, 0, sequence.size(1))
            return logits, weights
        return logits

    @torch.no_grad()
    def forward_test(self,
                     sequence: Tensor,
                     lengths: Tensor,
                     max_len: Optional[int] = None) -> Tuple[Tensor, Tensor]:
        """Greedy decoding until every region emitted the end token.

        Args:
            sequence (Tensor): (K, T, in_channels) encoder columns.
            lengths (Tensor): (K, ) valid columns, >= 1.
            max_len (int, optional): Maximum steps (including END).
                Defaults to ``self.max_len``.

        Returns:
            tuple[Tensor, Tensor]:

            - indices: LongTensor (K, S), ``S <= max_len`` the number of
              steps run; each row holds its characters, then ``end_idx``
              (if produced) repeated to the end.
            - scores: (K, S) softmax probability of each emitted token,
              0 after the end token.
        """
        max_len = self.max_len if max_len is None else max_len
        num_rois = sequence.size(0)
        mask, keys, state = self._init(sequence, lengths)
        tokens = torch.full((num_rois, ),
                            self.start_idx,
                            dtype=torch.long,
                            device=sequence.device)
        finished = torch.zeros(
            num_rois, dtype=torch.bool, device=sequence.device)
        out_idx, out_scores = [], []
        for _ in range(max_len):
            if num_rois == 0 or bool(finished.all()):
                break
            logits, state, _ = self._step(tokens, keys, sequence, mask,
                                          state)
            probs = F.softmax(logits, dim=-1)
            score, tokens = probs.max(dim=-1)
            tokens = tokens.masked_fill(finished, self.end_idx)
            score = score.masked_fill(finished, 0.)
            out_idx.append(tokens)
            out_scores.append(score)
            finished = finished | (tokens == self.end_idx)
        if not out_idx:
            return (torch.zeros(
                num_rois, 0, dtype=torch.long, device=sequence.device),
                    sequence.new_zeros(num_rois, 0))
        return torch.stack(out_idx, dim=1), torch.stack(out_scores, dim=1)

    def loss(self,
             logits: Tensor,
             targets: Tensor,
             avg_factor: Optional[float] = None) -> Dict[str, Tensor]:
        """Cross-entropy over the target tokens, padding ignored.

        Args:
            logits (Tensor): (K, L, num_classes) from :meth:`forward_train`.
            targets (Tensor): (K, L), padded with ``ignore_index``.
            avg_factor (float, optional): Divisor. Defaults to the number of
                regions K (``loss_normalize='region'``) or of valid tokens
                (``'token'``); at least 1.

        Returns:
            dict[str, Tensor]: ``loss_rec`` (scalar).
        """
        total = F.cross_entropy(
            logits.reshape(-1, logits.size(-1)),
            targets.reshape(-1),
            ignore_index=self.ignore_index,
            reduction='sum')
        if avg_factor is None:
            if self.loss_normalize == 'region':
                avg_factor = targets.size(0)
            else:
                avg_factor = int((targets != self.ignore_index).sum())
        avg_factor = max(float(avg_factor), 1.0)
        return dict(loss_rec=self.loss_weight * total / avg_factor)
