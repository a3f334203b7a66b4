"""DAN: Decoupled Attention Network (Wang et al., AAAI 2020)."""
import torch
from mmocr.models.textrecog.recognizers import EncoderDecoderRecognizer
from mmocr.registry import MODELS


@MODELS.register_module()
class DANRecognizer(EncoderDecoderRecognizer):
    """DAN: a CNN backbone, the CAM (encoder) and the decoupled decoder.

    The backbone returns a tuple of stages (the CAM fuses them; the decoder
    reads the last one, F); the encoder is
    :class:`~mmtextknow.models.textrecog.DANCAM` and the decoder
    :class:`~mmtextknow.models.textrecog.DANDecoder`. Training and
    prediction are MMOCR's :class:`EncoderDecoderRecognizer`'s; this class
    adds :meth:`text_attention_maps`, the 2-D attention maps of the words as
    the decoder reads them (ARM-Net's REM learns from them).
    """

    def text_attention_maps(self, inputs: torch.Tensor) -> torch.Tensor:
        """Per-step 2-D attention maps of word crops, as the decoder reads
        them.

        The caller chooses the mode (``eval()``) and ``torch.no_grad()``;
        no data samples are needed.

        Args:
            inputs (Tensor): ``M x C x 32 x 128`` crops, already normalised
                like this recognizer's data_preprocessor does (mean/std,
                channel order).

        Returns:
            Tensor: ``M x T x h x w`` float maps (``h x w`` = F's size,
            8 x 32 for 32 x 128 crops): each step's map normalised to sum 1
            over positions; the steps from the first greedily-predicted end
            token on are set to 0 (a word of L characters keeps L maps).
        """
        feat = self.extract_feat(inputs)
        attn_maps = self.encoder(feat)
        probs = self.decoder.forward_test(feat, attn_maps)
        is_end = probs.argmax(dim=-1) == self.decoder.dictionary.end_idx
        after_end = is_end.long().cumsum(dim=1) > 0
        maps = self.decoder.normalise_maps(attn_maps.float())
        return maps.masked_fill(after_end[..., None, None], 0.)
