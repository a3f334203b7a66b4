# Copyright (c) mmtextknow contributors. All rights reserved.
"""TCM: Turning a CLIP Model into a Scene Text Detector (CVPR 2023)."""
from .clip_image_encoder import CLIPResNet
from .clip_text_encoder import CLIPTextEncoder
from .clip_weights import (ClipLoadReport, load_clip_state_dict,
                           load_clip_weights)
from .instance_matching import InstanceLanguageMatching
from .kernel_target import TextKernelTarget, default_shrink_ratio
from .prompt_decoder import PromptDecoder, PromptDecoderLayer
from .prompt_generators import (ContextDecoder, GatedPromptDecoder,
                                LanguagePromptGenerator, VisualPromptGenerator)
from .tcm import TCM
from .text_prompt import TCMTextPrompt

__all__ = [
    'CLIPResNet', 'CLIPTextEncoder', 'ClipLoadReport', 'load_clip_state_dict',
    'load_clip_weights', 'InstanceLanguageMatching', 'TextKernelTarget',
    'default_shrink_ratio', 'PromptDecoder', 'PromptDecoderLayer',
    'ContextDecoder', 'GatedPromptDecoder', 'LanguagePromptGenerator', 'VisualPromptGenerator',
    'TCM', 'TCMTextPrompt'
]
