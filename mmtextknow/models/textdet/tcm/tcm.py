# Copyright (c) mmtextknow contributors. All rights reserved.
"""TCM: the CLIP-powered pluggable module around MMOCR's single-stage
segmentation detectors (DBNet, PANet, FCENet)."""
from typing import Dict, Optional, Sequence, Tuple

import torch
from mmengine.logging import MMLogger
from mmocr.models.textdet.detectors import SingleStageTextDetector
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample

from .clip_weights import load_clip_weights
from .kernel_target import TextKernelTarget

SampleList = Sequence[TextDetDataSample]
#: Which text the visual prompt generator reads (see :class:`TCM`).
VISUAL_PROMPT_TEXTS = ('pre_context', 'post_context')


@MODELS.register_module()
class TCM(SingleStageTextDetector):
    """A single-stage MMOCR text detector with TCM's CLIP knowledge.

    The backbone is CLIP's image encoder (:class:`CLIPResNet`). From its C5
    the attention pooling gives a global and dense pixel embeddings; the
    text prompt (learnable context + predefined prompt, plus the language
    prompt generated from the global embedding) goes through CLIP's text
    encoder; the visual prompt generator refines the pixel embeddings with
    that text, the context decoder refines the text with the image (global
    and pixel embeddings before the visual prompt); their cosine similarity
    is the score map, concatenated as one more channel onto C5 before the
    wrapped detector's neck (whose last ``in_channels`` is therefore
    C5 + 1). The wrapped detector's neck, head, loss and
    postprocessor are MMOCR's, unchanged: ``type='TCM'`` replaces
    ``type='DBNet'`` / ``'PANet'`` / ``'FCENet'`` in their configs.

    Training adds the instance-language matching loss ``loss_ilm`` of the
    score map against the shrunk text kernels made by the detector's own
    loss module (:class:`TextKernelTarget`).

    Every module after the encoders can be switched off for the ablations:
    ``language_prompt``, ``visual_prompt`` and ``context_decoder`` accept
    ``None``; the prompt's switches are in :class:`TCMTextPrompt`.

    Args:
        backbone (dict): :class:`CLIPResNet` config (C5 must be its last
            output).
        det_head (dict): The wrapped detector's head config.
        text_encoder (dict): :class:`CLIPTextEncoder` config.
        text_prompt (dict): :class:`TCMTextPrompt` config.
        neck (dict, optional): The wrapped detector's neck config.
        language_prompt (dict, optional): :class:`LanguagePromptGenerator`
            config; None switches the language prompt off.
        visual_prompt (dict, optional): :class:`VisualPromptGenerator`
            config; None switches it off.
        context_decoder (dict, optional): :class:`ContextDecoder` config;
            None switches it off.
        visual_prompt_text (str): The text embedding the visual prompt
            generator attends to: ``'pre_context'`` (the text encoder's
            output, before the context decoder, as in the authors' code) or
            ``'post_context'`` (after the context decoder). Defaults to
            ``'pre_context'``.
        matching (dict): :class:`InstanceLanguageMatching` config (score map
            and auxiliary loss).
        aux_shrink_ratio (float, optional): Shrink ratio of the auxiliary
            kernel target; by default the detector loss's own
            (DBNet 0.4, PANet its kernel ratio 0.5; FCENet needs it set).
        clip_checkpoint (str, optional): Local CLIP weights (OpenAI
            TorchScript ``RN50.pt`` or an open_clip state dict) loaded into
            both encoders by :meth:`init_weights` (i.e. when training
            starts), with a report of loaded / missing / unexpected keys.
        allow_random_clip (bool): Train with randomly initialised encoders
            when ``clip_checkpoint`` is None. Defaults to False: training
            without CLIP weights is refused (tests and demos set it).
        data_preprocessor (dict, optional): Data preprocessor config.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: Dict,
                 det_head: Dict,
                 text_encoder: Dict,
                 text_prompt: Dict,
                 neck: Optional[Dict] = None,
                 language_prompt: Optional[Dict] = dict(
                     type='LanguagePromptGenerator'),
                 visual_prompt: Optional[Dict] = dict(
                     type='VisualPromptGenerator'),
                 context_decoder: Optional[Dict] = dict(
                     type='ContextDecoder'),
                 visual_prompt_text: str = 'pre_context',
                 matching: Dict = dict(type='InstanceLanguageMatching'),
                 aux_shrink_ratio: Optional[float] = None,
                 clip_checkpoint: Optional[str] = None,
                 allow_random_clip: bool = False,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(
            backbone=backbone,
            det_head=det_head,
            neck=neck,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        if visual_prompt_text not in VISUAL_PROMPT_TEXTS:
            raise ValueError(
                f'visual_prompt_text must be one of {VISUAL_PROMPT_TEXTS}, '
                f'got {visual_prompt_text!r}')
        self.visual_prompt_text = visual_prompt_text
        self.text_encoder = MODELS.build(text_encoder)
        self.text_prompt = MODELS.build(text_prompt)
        self.language_prompt = self._build_optional(language_prompt)
        self.visual_prompt = self._build_optional(visual_prompt)
        self.context_decoder = self._build_optional(context_decoder)
        self.matching = MODELS.build(matching)
        self.kernel_target = TextKernelTarget(self.det_head.module_loss,
                                              aux_shrink_ratio)
        self.clip_checkpoint = clip_checkpoint
        self.allow_random_clip = allow_random_clip
        self._text_cache: Optional[torch.Tensor] = None

    @staticmethod
    def _build_optional(cfg: Optional[Dict]) -> Optional[torch.nn.Module]:
        return None if cfg is None else MODELS.build(cfg)

    def init_weights(self) -> None:
        """Initialise, then put CLIP's weights into both encoders.

        Raises:
            ValueError: If there is no ``clip_checkpoint`` and random
                encoders are not explicitly allowed, or if the file does
                not fill both encoders.
        """
        super().init_weights()
        logger = MMLogger.get_current_instance()
        if self.clip_checkpoint is None:
            if not self.allow_random_clip:
                raise ValueError(
                    'TCM: no CLIP weights given (model.clip_checkpoint is '
                    "None): set it to a local CLIP file (OpenAI's RN50.pt "
                    'or an open_clip state dict), or set '
                    'model.allow_random_clip=True to train with randomly '
                    'initialised encoders on purpose')
            logger.warning('TCM: training with RANDOMLY initialised CLIP '
                           'encoders (allow_random_clip=True)')
            return
        report = load_clip_weights(self.backbone, self.text_encoder,
                                   self.clip_checkpoint)
        logger.info(f'TCM: CLIP weights from {self.clip_checkpoint}: '
                    f'{report.summary()}')

    def encode_text(self, global_embedding: torch.Tensor) -> torch.Tensor:
        """The prompt's text embedding ``N x 1 x D``.

        With the language prompt the text depends on the image and the text
        encoder runs once per image. Without it the text is the same for
        every image: in eval mode it is computed once and cached (the
        cache is dropped by ``train()``, and by loading a state dict).
        """
        batch = global_embedding.size(0)
        if self.language_prompt is None:
            if self.training or self._text_cache is None:
                text = self._run_text_encoder(None)
                if self.training:
                    return text.expand(batch, -1, -1)
                self._text_cache = text.detach()
            return self._text_cache.expand(batch, -1, -1)
        return self._run_text_encoder(self.language_prompt(global_embedding))

    def _run_text_encoder(self, language: Optional[torch.Tensor]
                          ) -> torch.Tensor:
        embeddings = self.text_prompt(self.text_encoder.token_embedding,
                                      language)
        return self.text_encoder(embeddings,
                                 self.text_prompt.eot_index).unsqueeze(1)

    def train(self, mode: bool = True) -> 'TCM':
        """Switch mode; entering training drops the cached text (its
        weights are about to change)."""
        if mode:
            self._text_cache = None
        return super().train(mode)

    def _load_from_state_dict(self, *args, **kwargs) -> None:
        self._text_cache = None
        super()._load_from_state_dict(*args, **kwargs)

    def score_map(self, c5: torch.Tensor) -> torch.Tensor:
        """TCM's score map ``N x 1 x h x w`` of the image's C5."""
        return self.prompt_maps(c5)['score_map']

    def prompt_maps(self, c5: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The score map and what led to it, from the image's C5.

        Returns:
            dict: ``score_map`` (N x 1 x h x w), ``text`` (the text
            embedding after the context decoder, N x 1 x D),
            ``image_embedding`` (the dense pixel embeddings I of the
            attention pooling, N x D x h x w), ``visual_prompt`` (what the
            visual prompt generator adds to them, I~ in the paper's Fig. 7;
            zeros when it is switched off) and ``pixels`` (their sum, what
            the score map is computed from).
        """
        global_embedding, dense = self.backbone.embed(c5)
        text = self.encode_text(global_embedding)
        pixels = dense
        prompt_first = self.visual_prompt_text == 'pre_context'
        if self.visual_prompt is not None and prompt_first:
            pixels = self.visual_prompt(dense, text)
        if self.context_decoder is not None:
            text = self.context_decoder(text, global_embedding, dense)
        if self.visual_prompt is not None and not prompt_first:
            pixels = self.visual_prompt(dense, text)
        return dict(
            score_map=self.matching.score_map(pixels, text),
            text=text,
            image_embedding=dense,
            visual_prompt=pixels - dense,
            pixels=pixels)

    def extract_feat_and_score(
            self, inputs: torch.Tensor
    ) -> Tuple[Tuple[torch.Tensor, ...], torch.Tensor]:
        """The neck's features (fed C2..C5 with the score map on C5) and the
        score map."""
        feats = list(self.backbone(inputs))
        score = self.score_map(feats[-1])
        feats[-1] = torch.cat([feats[-1], score], dim=1)
        feats = tuple(feats)
        if self.with_neck:
            feats = self.neck(feats)
        return feats, score

    def extract_feat(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        return self.extract_feat_and_score(inputs)[0]

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """The wrapped detector's losses plus ``loss_ilm``."""
        feats, score = self.extract_feat_and_score(inputs)
        losses = self.det_head.loss(feats, data_samples)
        kernels, masks = self.kernel_target(data_samples,
                                            inputs.shape[-2:], inputs.device)
        losses['loss_ilm'] = self.matching.loss(score, kernels, masks)
        return losses
