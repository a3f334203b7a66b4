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
    # the authors' DBNet input_resolution: the attention pool learns a
    # 20x20 positional embedding, resized from CLIP's 7x7 when loaded
    pretrain_img_size=640,
    out_indices=(0, 1, 2, 3),
    # dense embeddings: every C5 token a query of the attention pool
    dense_mode='attention')

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
        'instances.',
        context_std=1.0),
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
        dropout=0.1,
        attn_dropout=0.0,
        qkv_bias=False),
    context_decoder=dict(
        type='ContextDecoder',
        in_channels=1024,
        channels=256,
        num_layers=3,
        num_heads=4,
        dropout=0.1,
        attn_dropout=0.0,
        qkv_bias=False),
    # the visual prompt generator attends to the text before the context
    # decoder refines it
    visual_prompt_text='pre_context',
    matching=dict(type='InstanceLanguageMatching', tau=0.07, loss_weight=1.0),
    clip_checkpoint=clip_checkpoint,
    allow_random_clip=False)

# The authors' input normalisation (RGB): CLIP's mean (to 2 decimals) with
# ImageNet's std, not CLIP's std (68.5, 66.6, 70.3).
clip_data_preprocessor = dict(
    mean=[122.67891434, 116.66876762, 104.00698793],
    std=[58.395, 57.12, 57.375],
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
# The authors' Ranger (TD500, PANet, FCENet, the pre-training): RAdam in
# Lookahead (alpha 0.5, k 6), lr 1e-3, betas (0.95, 0.999), eps 1e-5, no
# weight decay.
tcm_optim_wrapper_ranger = dict(
    tcm_optim_wrapper,
    optimizer=dict(
        type='LookaheadRAdam',
        lr=1e-3,
        betas=(0.95, 0.999),
        eps=1e-5,
        weight_decay=0.0,
        alpha=0.5,
        k=6))

# The authors' tuned DBNet postprocessors (MMOCR's DBPostprocessor
# arguments; their `arcLength_ratio` is MMOCR's `epsilon_ratio`, 0 when they
# switch the polygon approximation off).
tcm_db_postprocessor_icdar2015 = dict(
    type='DBPostprocessor',
    text_repr_type='quad',
    mask_thr=0.28,
    min_text_score=0.2,
    min_text_width=2,
    unclip_ratio=1.6,
    epsilon_ratio=0.001,
    max_candidates=3000)
tcm_db_postprocessor_td500 = dict(
    type='DBPostprocessor',
    text_repr_type='quad',
    mask_thr=0.08,
    min_text_score=0.17,
    min_text_width=3,
    unclip_ratio=1.9,
    epsilon_ratio=0.0,
    max_candidates=1000)
tcm_db_postprocessor_ctw1500 = dict(
    type='DBPostprocessor',
    text_repr_type='poly',
    mask_thr=0.08,
    min_text_score=0.3,
    min_text_width=3,
    unclip_ratio=2.0,
    epsilon_ratio=0.0001,
    max_candidates=3000)
tcm_db_postprocessor_totaltext = dict(
    type='DBPostprocessor',
    text_repr_type='poly',
    mask_thr=0.347,
    min_text_score=0.3,
    min_text_width=5,
    unclip_ratio=1.95,
    epsilon_ratio=0.004,
    max_candidates=3000)

# Some ablations leave parameters without gradient (e.g. without the
# language prompt): DDP must look for them.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
