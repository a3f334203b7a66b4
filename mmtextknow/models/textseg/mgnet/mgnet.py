"""MGNet: semi-supervised text segmentation with mutually guided decoders.

The mutually guided dual-task network of IEEE TIP 2021. One shared
encoder ``E`` feeds a pixel-level decoder ``D_T`` and a
polygon-level decoder ``D_P``; each decoder is conditioned on a guidance
map. Phase 1 uses zero guidance; phase 2 feeds each decoder the other
decoder's phase-1 output.
"""
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
from mmocr.registry import MODELS

from ..segmentors.base import BaseTextSegmentor, SampleList


class MGNetOutputs(NamedTuple):
    """Probabilities of each phase: ``[O]`` or ``[O, O']`` per level."""
    pixel: List[torch.Tensor]
    polygon: List[torch.Tensor]


@MODELS.register_module()
class MGNet(BaseTextSegmentor):
    """The mutually guided dual-task text segmentation network.

    Training has two stages (switched by ``MGNetPhaseSwitchHook``, which sets
    :attr:`stage2`):

    - stage 1: the loop between the decoders is disconnected (phase 1 only,
      zero guidance) and only the SoftIoU loss applies, to each output whose
      ground truth the sample has (the indicators ``l_k`` of eq. 2);
    - stage 2: phase 2 runs too (``G'_T = O_P``, ``G'_P = O_T``), the
      SoftIoU loss applies to all four outputs, the subset loss to every
      (pixel, polygon) output pair (eq. 3) and the CRF loss to the outputs
      whose ground truth the sample lacks (eq. 4); total
      ``L_IoU + 10 L_SB + 0.1 L_CRF`` with the default loss weights. With
      ``use_mutual_guidance=False`` stage 2 keeps the loop disconnected
      and applies the same losses to the phase-1 outputs ``O_T``, ``O_P``
      only (eq. 3 and 4 with one output per branch).

    The eq. 2 indicators are per data pair: a sample carrying both masks
    has no branch without ground truth, so the CRF loss only acts on
    samples that carry one mask (``RandomHideOneMask`` draws such pairs
    from fully annotated images).

    The stage is a persistent buffer, so a checkpoint trained into stage 2
    predicts with phase 2 when loaded by ``tools/test.py``. Prediction uses
    the last phase run: ``O'_T`` (and ``O'_P``) while
    :attr:`mutual_guidance` is on.

    Ablations of Table IV (a): alpha = ``use_mutual_guidance=False`` (stage
    2 with L_SB and L_CRF but no phase 2); beta = ``subset_loss=None,
    crf_loss=None``; gamma = ``crf_loss=None``.

    Args:
        encoder (dict): The shared image encoder (``MGNetVGGEncoder``).
        pixel_decoder (dict): ``D_T`` (``MGNetGuidedDecoder``).
        polygon_decoder (dict): ``D_P`` (``MGNetGuidedDecoder``).
        iou_loss (dict): SoftIoU loss config.
        subset_loss (dict, optional): Subset loss config; None disables it.
        crf_loss (dict, optional): CRF loss config; None disables it. It
            receives the preprocessed images; give it the preprocessor's
            ``img_mean``/``img_std`` to compare colours in pixel units.
        detach_guidance (bool): Whether phase-2 guidance is a constant.
            The paper does not say; defaults to False (gradients flow
            through the guidance into the other branch).
        use_mutual_guidance (bool): Whether stage 2 connects the loop
            (phase 2). Defaults to True; False is Table IV's Ours-alpha.
        stage2 (bool): Start in stage 2. Defaults to False.
        data_preprocessor (dict, optional): ``TextSegDataPreprocessor``.
        threshold (float): Probability above which a pixel is text.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 encoder: dict,
                 pixel_decoder: dict,
                 polygon_decoder: dict,
                 iou_loss: dict = dict(type='SoftIoULoss'),
                 subset_loss: Optional[dict] = dict(
                     type='SubsetLoss', loss_weight=10.0),
                 crf_loss: Optional[dict] = dict(
                     type='DenseCRFLoss', loss_weight=0.1),
                 detach_guidance: bool = False,
                 use_mutual_guidance: bool = True,
                 stage2: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 threshold: float = 0.5,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            threshold=threshold,
            init_cfg=init_cfg)
        self.encoder = MODELS.build(encoder)
        self.pixel_decoder = MODELS.build(pixel_decoder)
        self.polygon_decoder = MODELS.build(polygon_decoder)
        self.iou_loss = MODELS.build(iou_loss)
        self.subset_loss = MODELS.build(subset_loss) if subset_loss else None
        self.crf_loss = MODELS.build(crf_loss) if crf_loss else None
        self.detach_guidance = detach_guidance
        self.use_mutual_guidance = bool(use_mutual_guidance)
        self.register_buffer('_stage2', torch.tensor(bool(stage2)))

    @property
    def stage2(self) -> bool:
        """Whether training is in stage 2 (weak losses, and phase 2 when
        ``use_mutual_guidance``)."""
        return bool(self._stage2)

    @stage2.setter
    def stage2(self, enabled: bool) -> None:
        self._stage2.fill_(bool(enabled))

    @property
    def mutual_guidance(self) -> bool:
        """Whether phase 2 runs: stage 2 with ``use_mutual_guidance``."""
        return self.stage2 and self.use_mutual_guidance

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """``E(I)``: the shared image features."""
        return self.encoder(inputs)

    def run_phases(self, inputs: torch.Tensor) -> MGNetOutputs:
        """Phase 1, and phase 2 while :attr:`mutual_guidance` is on.

        Args:
            inputs (Tensor): Preprocessed images, Bx3xHxW (H, W divisible by
                the encoder's output stride).

        Returns:
            MGNetOutputs: Probabilities, each Bx1xHxW.
        """
        feats = self.extract_feat(inputs)
        zeros = inputs.new_zeros((inputs.shape[0], 1) + inputs.shape[2:])
        pixel = self.pixel_decoder(feats, zeros)
        polygon = self.polygon_decoder(feats, zeros)
        outputs = MGNetOutputs([pixel], [polygon])
        if self.mutual_guidance:
            guide_t, guide_p = (polygon, pixel)
            if self.detach_guidance:
                guide_t, guide_p = guide_t.detach(), guide_p.detach()
            outputs.pixel.append(self.pixel_decoder(feats, guide_t))
            outputs.polygon.append(self.polygon_decoder(feats, guide_p))
        return outputs

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """SoftIoU (always), subset and CRF (stage 2) losses (eq. 1-5).

        The subset loss sums over every (pixel output, polygon output) pair
        (four with mutual guidance, one without), the CRF loss over every
        output of a branch (two with mutual guidance, one without), each
        averaged over the samples that lack that branch's mask (weight
        ``1 - l_kappa``).
        """
        outputs = self.run_phases(inputs)
        shape, device = inputs.shape[-2:], inputs.device
        gt_pixel, has_pixel = self.stack_gt_masks(data_samples,
                                                  'gt_pixel_mask', shape,
                                                  device)
        gt_polygon, has_polygon = self.stack_gt_masks(
            data_samples, 'gt_polygon_mask', shape, device)
        losses = {
            'loss_iou_pixel':
            sum(self.iou_loss(o, gt_pixel, has_pixel) for o in outputs.pixel),
            'loss_iou_polygon':
            sum(
                self.iou_loss(o, gt_polygon, has_polygon)
                for o in outputs.polygon),
        }
        if not self.stage2:
            return losses
        if self.subset_loss is not None:
            losses['loss_subset'] = sum(
                self.subset_loss(z, y) for z in outputs.pixel
                for y in outputs.polygon)
        if self.crf_loss is not None:
            losses['loss_crf'] = sum(
                self.crf_loss(o, inputs, ~has) for probs, has in (
                    (outputs.pixel, has_pixel), (outputs.polygon,
                                                 has_polygon))
                for o in probs)
        return losses

    def predict(self, inputs: torch.Tensor,
                data_samples: SampleList) -> SampleList:
        """Predict both masks with the last phase run."""
        outputs = self.run_phases(inputs)
        return self.postprocess(
            outputs.pixel[-1], data_samples,
            polygon_probs=outputs.polygon[-1])

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[SampleList] = None
                 ) -> Tuple[torch.Tensor, torch.Tensor]:
        """The last phase's pixel and polygon probabilities."""
        outputs = self.run_phases(inputs)
        return outputs.pixel[-1], outputs.polygon[-1]
