"""DAN's decoupled text decoder.

Wang et al., "Decoupled Attention Network for Text Recognition", AAAI 2020,
Sec. 3.3: the attention maps come from the CAM, so the decoder only reads
the features they point at and models the character sequence.
"""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.decoders import BaseDecoder
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample


@MODELS.register_module()
class DANDecoder(BaseDecoder):
    """Decoupled text decoder: attention-weighted contexts, BiLSTM, GRU.

    Each step's map is divided by its sum over positions; the context
    ``c_t`` is the sum over positions of that normalised map times F (the
    deepest backbone feature). A bidirectional LSTM runs over the T
    contexts, then a GRU cell reads ``[c_t ; embedding of the previous
    character]`` step by step, and a linear classifier (after dropout) gives
    the logits. The previous character is the ground truth in training
    (teacher forcing; the start token at step 0) and the greedy prediction
    at test.

    Step ``t`` predicts character ``t + 1`` of ``[start, c_1, ..., c_L,
    end, padding...]``, which is how MMOCR's ``CEModuleLoss`` with
    ``ignore_first_char=True`` reads the output (the output of the last
    step is not supervised).

    Args:
        dictionary (dict or :obj:`Dictionary`): The dictionary; it needs a
            start and an end token.
        in_channels (int): Channels of F. Defaults to 512.
        lstm_channels (int): Hidden size of each direction of the BiLSTM.
            Defaults to 256.
        hidden_channels (int): Hidden size of the GRU cell. Defaults to 512.
        embed_dims (int): Size of the character embedding. Defaults to 512.
        dropout (float): Dropout before the classifier. Defaults to 0.3.
        max_seq_len (int): Number of decoding steps T; it must equal the
            number of attention maps. Defaults to 25.
        module_loss (dict, optional): Loss config. Defaults to None.
        postprocessor (dict, optional): Postprocessor config. Defaults to
            None.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 in_channels: int = 512,
                 lstm_channels: int = 256,
                 hidden_channels: int = 512,
                 embed_dims: int = 512,
                 dropout: float = 0.3,
                 max_seq_len: int = 25,
                 module_loss: Optional[Dict] = None,
                 postprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(
            dictionary=dictionary,
            module_loss=module_loss,
            postprocessor=postprocessor,
            max_seq_len=max_seq_len,
            init_cfg=init_cfg)
        if self.dictionary.start_idx is None or \
                self.dictionary.end_idx is None:
            raise ValueError('DANDecoder needs a dictionary with start and '
                             'end tokens (with_start=True, with_end=True)')
        self.in_channels = in_channels
        self.hidden_channels = hidden_channels
        num_classes = self.dictionary.num_classes
        self.context_lstm = nn.LSTM(
            in_channels, lstm_channels, batch_first=True, bidirectional=True)
        self.embedding = nn.Embedding(num_classes, embed_dims)
        self.gru = nn.GRUCell(2 * lstm_channels + embed_dims, hidden_channels)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden_channels, num_classes)

    @staticmethod
    def normalise_maps(attn_maps: torch.Tensor,
                       eps: float = 1e-6) -> torch.Tensor:
        """Divide each step's map by its sum over positions.

        Args:
            attn_maps (Tensor): ``N x T x h x w`` non-negative maps.
            eps (float): Lower bound of a sum. Defaults to 1e-6.

        Returns:
            Tensor: The maps, each summing to 1 over ``h x w``.
        """
        total = attn_maps.flatten(2).sum(2).clamp_min(eps)
        return attn_maps / total[..., None, None]

    def _contexts(self, feat: Union[torch.Tensor, Sequence[torch.Tensor]],
                  out_enc: torch.Tensor) -> torch.Tensor:
        """BiLSTM-encoded contexts, ``N x T x 2 lstm_channels``."""
        feat_map = feat if isinstance(feat, torch.Tensor) else feat[-1]
        if out_enc is None:
            raise ValueError('DANDecoder needs the attention maps of an '
                             'encoder (e.g. DANCAM) as out_enc')
        if feat_map.dim() != 4 or feat_map.size(1) != self.in_channels:
            raise ValueError(
                f'DANDecoder: F should be N x {self.in_channels} x h x w, '
                f'got {tuple(feat_map.shape)}')
        if out_enc.shape[-2:] != feat_map.shape[-2:]:
            raise ValueError(
                f'DANDecoder: attention maps {tuple(out_enc.shape[-2:])} and '
                f'F {tuple(feat_map.shape[-2:])} differ in size')
        if out_enc.size(1) != self.max_seq_len:
            raise ValueError(
                f'DANDecoder: {out_enc.size(1)} attention maps, but '
                f'max_seq_len={self.max_seq_len}; set the encoder\'s '
                'max_seq_len to the decoder\'s')
        weights = self.normalise_maps(out_enc)
        contexts = torch.einsum('nthw,nchw->ntc', weights, feat_map)
        return self.context_lstm(contexts)[0]

    def _step(self, context: torch.Tensor, prev_chars: torch.Tensor,
              hidden: Optional[torch.Tensor]) -> tuple:
        """One GRU step; returns ``(logits, hidden)``."""
        step_input = torch.cat([context, self.embedding(prev_chars)], dim=1)
        hidden = self.gru(step_input, hidden)
        return self.classifier(self.dropout(hidden)), hidden

    def forward_train(
        self,
        feat: Union[torch.Tensor, Sequence[torch.Tensor]],
        out_enc: torch.Tensor,
        data_samples: Sequence[TextRecogDataSample],
    ) -> torch.Tensor:
        """Teacher-forced decoding.

        Args:
            feat (Tensor or tuple[Tensor]): Backbone output; its last
                element is F.
            out_enc (Tensor): ``N x T x h x w`` attention maps.
            data_samples (list[TextRecogDataSample]): Samples whose
                ``gt_text.padded_indexes`` (``[start, chars..., end,
                padding...]``, from the loss' ``get_targets``) give the
                previous characters.

        Returns:
            Tensor: ``N x T x C`` logits.
        """
        contexts = self._contexts(feat, out_enc)
        targets = torch.stack([
            sample.gt_text.padded_indexes for sample in data_samples
        ]).long().to(contexts.device)
        if targets.size(1) < self.max_seq_len:
            raise ValueError(
                f'DANDecoder: padded targets have {targets.size(1)} steps, '
                f'fewer than max_seq_len={self.max_seq_len}')
        hidden, outputs = None, []
        for t in range(self.max_seq_len):
            logits, hidden = self._step(contexts[:, t], targets[:, t], hidden)
            outputs.append(logits)
        return torch.stack(outputs, dim=1)

    def forward_test(
        self,
        feat: Union[torch.Tensor, Sequence[torch.Tensor]],
        out_enc: torch.Tensor,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> torch.Tensor:
        """Greedy decoding.

        Args:
            feat (Tensor or tuple[Tensor]): Backbone output; its last
                element is F.
            out_enc (Tensor): ``N x T x h x w`` attention maps.
            data_samples (list[TextRecogDataSample], optional): Unused.

        Returns:
            Tensor: ``N x T x C`` character probabilities (softmax).
        """
        contexts = self._contexts(feat, out_enc)
        prev_chars = contexts.new_full((contexts.size(0), ),
                                       self.dictionary.start_idx,
                                       dtype=torch.long)
        hidden, outputs = None, []
        for t in range(self.max_seq_len):
            logits, hidden = self._step(contexts[:, t], prev_chars, hidden)
            outputs.append(logits)
            prev_chars = logits.argmax(dim=1)
        return torch.stack(outputs, dim=1).softmax(dim=-1)
