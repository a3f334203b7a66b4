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
        type='CLIPTextEncoder',
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
