"""ARM-Net (ACCV 2022): backbone + TSM + DPD + REM, one text logit per pixel.

Paper: Ren et al., "Looking from a Higher-level Perspective: Attention and
Recognition Enhanced Multi-scale Scene Text Segmentation", ACCV 2022 (no
public code). The building blocks are in :mod:`mmtextknow.models.textseg.
armnet`; this module wires them into a segmentor and adds the plain decoder
of the "without DPD" ablation.

Paper facts: ResNet-50 backbone; the TSM (GTM + DTM) on the extracted
features; the DPD up-samples them, fusing low-level backbone features at
each stage; REM (a recognizer's attention prior, eq. 6) is an auxiliary
branch that enhances the segmentation features.

Our reading (the paper leaves these open):

- the backbone is an ImageNet ResNet-50 dilated to output stride 8 (the
  DTM's atrous rates and the GTM's criss-cross attention are DeepLab /
  CCNet modules, built for stride-8 features); the TSM reads its deepest
  feature (C5, stride 8) and replaces it in the pyramid the decoder reads
  (C2 and C5 in the paper configs: one DPD stage to stride 4);
- the loss is not given in the paper: BCE + Dice on the pixel-level mask,
  as the FCN baseline (:class:`FCNTextSegmentor`, whose loss and
  prediction ARM-Net inherits);
- the classifier on the stride-4 decoder features is the FCN head
  (1x1 conv + norm + act, then a 1x1 conv to one logit), up-sampled
  bilinearly to the input size;
- the REM acts on the stride-4 decoder features, before the classifier
  (see :class:`~mmtextknow.models.textseg.armnet.ARMNetREM`).
"""
from typing import Dict, Optional, Sequence, Tuple, Union

from mmocr.registry import MODELS
from torch import Tensor

from ..armnet import ARMNetDPD
from .base import SampleList
from .fcn import FCNTextSegmentor


@MODELS.register_module()
class ARMNetBilinearDecoder(ARMNetDPD):
    """The decoder of the "without DPD" ablation (Table 2 of the paper):
    :class:`~mmtextknow.models.textseg.armnet.ARMNetDPD` built from
    :class:`~mmtextknow.models.textseg.armnet.ARMNetBilinearStage` stages
    (1x1 conv + bilinear up-sampling, the same skip fusion).

    Args:
        in_channels (Sequence[int]): Channels of the inputs, shallowest
            (stride 4) first, deepest last.
        channels (int): Output channels of every stage. Defaults to 256.
        stage_cfg (dict, optional): Further keyword arguments of every
            stage (``conv_cfg``, ``norm_cfg``, ``act_cfg``).
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 channels: int = 256,
                 stage_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            in_channels,
            channels=channels,
            stage_cfg=stage_cfg,
            stage_type='ARMNetBilinearStage',
            init_cfg=init_cfg)


@MODELS.register_module()
class ARMNet(FCNTextSegmentor):
    """ARM-Net: backbone, TSM, DPD, REM, one text logit per pixel.

    ``backbone -> (C2, ..., C5)`` (the levels it outputs; ``(C2, C5)`` at
    output stride 8 in the paper configs); ``tsm(C5)`` replaces C5;
    ``decoder`` turns the pyramid into stride-4 segmentation features
    (:meth:`extract_feat`); ``rem`` enhances them with a text attention map
    (eq. 6); ``seg_head`` predicts the text logit and up-samples it to the
    input size. Prediction is :class:`FCNTextSegmentor`'s (thresholded
    probabilities at ``ori_shape``); the loss is the head's (BCE + Dice on
    the pixel-level mask of the samples that have one) plus REM's L1 loss
    on the text attention map (``loss_rem``).

    In training the REM's target map comes from a frozen recognizer reading
    the samples' word boxes (``gt_instances``, packed by
    ``PackTextSegInputs`` from the ``gt_bboxes`` that ``LoadOCRAnnotations``
    loads); at inference the REM's U-Net predicts the map, so neither the
    recognizer nor word boxes are needed.

    Ablation switches (Tables 2-4 of the paper): ``tsm=None`` drops the TSM
    (the decoder then reads C5 itself); ``decoder=dict(type=
    'ARMNetBilinearDecoder', ...)`` replaces the DPD; ``rem=None`` drops the
    REM; the TSM's ``use_gtm``, ``use_dtm`` and ``dilations`` select its
    sub-modules and rates.

    Args:
        backbone (dict): Backbone config, e.g. ``dict(type='mmdet.ResNet',
            depth=50, strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4),
            out_indices=(0, 3))`` (C2 and C5 at output stride 8).
        decoder (dict): Decoder config: ``ARMNetDPD`` (the paper) or
            ``ARMNetBilinearDecoder`` (without DPD); it maps the feature
            pyramid (shallowest first) to one feature map at the shallowest
            level's resolution.
        seg_head (dict): Classifier config, e.g. ``FCNTextSegHead`` on the
            decoder's output (``forward(feats, out_shape)`` and
            ``loss_by_feat(logits, gt_masks, valid)``). Stored as
            ``decode_head``.
        tsm (dict, optional): ``ARMNetTSM`` config applied to the deepest
            backbone feature; None drops the TSM. Defaults to None.
        rem (dict, optional): ``ARMNetREM`` config on the decoder's output
            (its ``in_channels`` must be the decoder's width); None drops
            the REM. Defaults to None.
        data_preprocessor (dict, optional): Data preprocessor config
            (``TextSegDataPreprocessor``).
        threshold (float): Probability above which a pixel is text.
            Defaults to 0.5.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 decoder: dict,
                 seg_head: dict,
                 tsm: Optional[dict] = None,
                 rem: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 threshold: float = 0.5,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(
            backbone=backbone,
            decode_head=seg_head,
            data_preprocessor=data_preprocessor,
            threshold=threshold,
            init_cfg=init_cfg)
        self.tsm = MODELS.build(tsm) if tsm is not None else None
        self.decoder = MODELS.build(decoder)
        self.rem = MODELS.build(rem) if rem is not None else None
        self._check_channels()

    def _check_channels(self) -> None:
        """Fail at build time when the components' widths do not chain.

        Raises:
            ValueError: If the decoder's deepest input is not the TSM's
                output width, or the REM or the head does not read the
                decoder's output width (checked where the modules expose
                them).
        """
        decoder_in = getattr(self.decoder, 'in_channels', None)
        if self.tsm is not None and decoder_in is not None and (
                decoder_in[-1] != self.tsm.out_channels):
            raise ValueError(
                f'the TSM outputs {self.tsm.out_channels} channels but the '
                f'decoder\'s deepest input has {decoder_in[-1]}: set '
                f'decoder.in_channels[-1]={self.tsm.out_channels}')
        decoder_out = getattr(self.decoder, 'out_channels', None)
        if self.rem is not None and decoder_out is not None and (
                self.rem.in_channels != decoder_out):
            raise ValueError(
                f'the decoder outputs {decoder_out} channels but the REM '
                f'reads {self.rem.in_channels}: set rem.in_channels='
                f'{decoder_out}')
        head_in = getattr(self.decode_head, 'in_channels', None)
        if decoder_out is not None and head_in is not None and (
                list(head_in) != [decoder_out]):
            raise ValueError(
                f'the decoder outputs {decoder_out} channels but the head '
                f'reads {list(head_in)}: set seg_head.in_channels='
                f'{decoder_out}')

    def extract_backbone_feat(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        """The backbone's pyramid, its deepest level through the TSM.

        Args:
            inputs (Tensor): NxCxHxW images.

        Returns:
            tuple[Tensor]: The levels, shallowest first; the last one is the
            TSM's output when the TSM is used.
        """
        feats = list(self.backbone(inputs))
        if self.tsm is not None:
            feats[-1] = self.tsm(feats[-1])
        return tuple(feats)

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Segmentation features: the decoded pyramid (where the REM acts).

        Args:
            inputs (Tensor): NxCxHxW images.

        Returns:
            Tensor: ``N x C x H/4 x W/4`` decoder features (for a ResNet).
        """
        return self.decoder(self.extract_backbone_feat(inputs))

    def _forward(self,
                 inputs: Tensor,
                 data_samples: Optional[SampleList] = None) -> Tensor:
        """Text logits at the input size, Nx1xHxW (REM with the U-Net's
        text attention map)."""
        feats = self.extract_feat(inputs)
        if self.rem is not None:
            feats, _ = self.rem(feats)
        return self.decode_head(feats, tuple(inputs.shape[-2:]))

    def loss(self, inputs: Tensor,
             data_samples: SampleList) -> Dict[str, Tensor]:
        """The head's losses on the pixel masks, plus REM's L1 loss.

        Args:
            inputs (Tensor): NxCxHxW images.
            data_samples (list[TextSegDataSample]): Samples whose gt masks
                are padded to the input size; with the REM, word boxes in
                ``gt_instances`` (images without are all background for
                the REM).

        Returns:
            dict[str, Tensor]: The head's losses (``loss_bce``,
            ``loss_dice``) and, with the REM, ``loss_rem``.
        """
        feats = self.extract_feat(inputs)
        rem_losses = {}
        if self.rem is not None:
            target, weight = self.rem.text_attention_target(
                inputs, data_samples, feats.shape[-2:],
                self.data_preprocessor)
            feats, attention_logits = self.rem(
                feats, target if self.rem.train_with_target else None)
            rem_losses['loss_rem'] = self.rem.loss(attention_logits, target,
                                                   weight)
        logits = self.decode_head(feats, tuple(inputs.shape[-2:]))
        gt_masks, valid = self.stack_gt_masks(data_samples, 'gt_pixel_mask',
                                              logits.shape[-2:],
                                              logits.device)
        losses = self.decode_head.loss_by_feat(logits, gt_masks, valid)
        losses.update(rem_losses)
        return losses
