# TCM's parts shared by every wrapped detector (spec: TCM, CVPR 2023):
# CLIP RN50 image encoder (C2..C5 + attention pooling), CLIP text encoder,
# prompt (4 learnable context tokens + the predefined prompt), language /
# visual prompt generators, context decoder, instance-language matching.
# The detector configs merge these into MMOCR's DBNet / PANet / FCENet.
#
# CLIP weights: a local file, OpenAI's TorchScript RN50.pt or an open_clip
# state dict; loaded when training starts (TCM.init_weights). Training
# without them is refused unless model.allow_random_clip=True.
clip_checkpoint = 'checkpoints/clip/RN50.pt'

tcm_backbone = dict(
    _delete_=True,
    type='TCMCLIPResNet',
    layers=(3, 4, 6, 3),
    width=64,
    embed_dim=1024,
    heads=32,
    pretrain_img_size=224,
    out_indices=(0, 1, 2, 3))

tcm_modules = dict(
    text_encoder=dict(
        type='TCMCLIPTextEncoder',
        context_length=77,
        vocab_size=49408,
        width=512,
        heads=8,
        layers=12,
        embed_dim=1024),
    text_prompt=dict(
        type='TCMTextPrompt',
        width=512,
        num_context_tokens=4,
        predefined_prompt='the pixels of many arbitrary-shape text '
        'instances.'),
    language_prompt=dict(
        type='LanguagePromptGenerator',
        in_channels=1024,
        hidden_channels=1024,
        out_channels=512),
    visual_prompt=dict(
        type='VisualPromptGenerator',
        in_channels=1024,
        channels=256,
        num_layers=3,
        num_heads=4,
        dropout=0.1),
    context_decoder=dict(
        type='ContextDecoder',
        in_channels=1024,
        channels=256,
        num_layers=3,
        num_heads=4,
        dropout=0.1),
    matching=dict(type='InstanceLanguageMatching', tau=0.07, loss_weight=1.0),
    clip_checkpoint=clip_checkpoint,
    allow_random_clip=False)

# CLIP's input normalisation (RGB).
clip_data_preprocessor = dict(
    mean=[122.7709383, 116.7460125, 104.09373615],
    std=[68.5005327, 66.6321579, 70.32316305],
    bgr_to_rgb=True)

# The authors' optimiser groups: image encoder lr x0.1, text encoder x0
# (frozen by learning rate: gradients still reach the context tokens and
# the language prompt generator through it), no weight decay on norms.
tcm_paramwise_cfg = dict(
    norm_decay_mult=0.0,
    custom_keys=dict(
        backbone=dict(lr_mult=0.1),
        text_encoder=dict(lr_mult=0.0, decay_mult=0.0)))

# What a detector config merges into MMOCR's DBNet / PANet model (FCENet
# takes C3..C5: it overrides out_indices and the neck's in_channels). The
# score map is one more channel on C5: 2048 + 1.
tcm_model = dict(
    type='TCM',
    backbone=tcm_backbone,
    neck=dict(in_channels=[256, 512, 1024, 2049]),
    data_preprocessor=clip_data_preprocessor,
    **tcm_modules)
# The authors' CTW1500 / TotalText prompt: 32 learnable context tokens.
tcm_text_prompt_32 = dict(tcm_modules['text_prompt'], num_context_tokens=32)

# The authors' ICDAR2015 optimiser (Adam 1e-4, weight decay 1e-4) and their
# CTW1500 one (AdamW 1e-4), with TCM's parameter groups.
tcm_optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    constructor='NormDecayOptimWrapperConstructor',
    optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4),
    paramwise_cfg=tcm_paramwise_cfg)
tcm_optim_wrapper_adamw = dict(
    tcm_optim_wrapper,
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=1e-4))

# Some ablations leave parameters without gradient (e.g. without the
# language prompt): DDP must look for them.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
