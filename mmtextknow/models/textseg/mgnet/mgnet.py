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

    Training has two stages (switched by ``MGNetPhaseSwitchHook``):

    - stage 1 (``mutual_guidance=False``): the loop between the decoders is
      disconnected (phase 1 only, zero guidance) and only the SoftIoU loss
      applies, to each output whose ground truth the sample has (the
      indicators ``l_k`` of eq. 2);
    - stage 2 (``mutual_guidance=True``): phase 2 runs too (``G'_T = O_P``,
      ``G'_P = O_T``), the SoftIoU loss applies to all four outputs, the
      subset loss to every (pixel, polygon) output pair (eq. 3) and the CRF
      loss to the outputs whose ground truth the sample lacks (eq. 4);
      total ``L_IoU + 10 L_SB + 0.1 L_CRF`` with the default loss weights.

    The stage is a persistent buffer, so a checkpoint trained into stage 2
    predicts with phase 2 when loaded by ``tools/test.py``. Prediction uses
    the last phase run: ``O'_T`` (and ``O'_P``) in stage 2.

    Ablations of Table IV (a): alpha = never switch to stage 2; beta =
    ``subset_loss=None, crf_loss=None``; gamma = ``crf_loss=None``.

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
        mutual_guidance (bool): Start in stage 2. Defaults to False.
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
                 mutual_guidance: bool = False,
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
        self.register_buffer('_mutual_guidance',
                             torch.tensor(bool(mutual_guidance)))

    @property
    def mutual_guidance(self) -> bool:
        """Whether stage 2 (phase 2 + weak losses) is on."""
        return bool(self._mutual_guidance)

    @mutual_guidance.setter
    def mutual_guidance(self, enabled: bool) -> None:
        self._mutual_guidance.fill_(bool(enabled))

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """``E(I)``: the shared image features."""
        return self.encoder(inputs)

    def run_phases(self, inputs: torch.Tensor) -> MGNetOutputs:
        """Phase 1, and phase 2 in stage 2.

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
        """SoftIoU (always), subset and CRF (stage 2) losses (eq. 1-5)."""
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
        if not self.mutual_guidance:
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
