# TCM-DBNet on the bundled generated data, sized for a few CPU minutes: the
# toy DBNet (FPNC, DBHead; 256x256) around a reduced CLIP (modified ResNet
# with one block per stage at width 16 -> C2..C5 64/128/256/512 channels,
# embeddings 256-d; a 2-layer 128-wide text encoder) with every TCM module
# on. No CLIP weights exist at these sizes: the encoders start random
# (allow_random_clip=True, on purpose); the text encoder stays frozen by
# learning rate as in the paper, the image encoder trains at full lr (from
# random weights the paper's x0.1 would only slow it down).
_base_ = [
    '../dbnet/dbnet_resnet18_fpnc_8e_toy.py',
    '_base_tcm_clip-rn50.py',
]

embed_dim = 256
text_width = 128
model = dict(
    _base_.tcm_model,
    backbone=dict(
        _base_.tcm_backbone,
        layers=(1, 1, 1, 1),
        width=16,
        embed_dim=embed_dim,
        heads=4,
        pretrain_img_size=256),
    neck=dict(in_channels=[64, 128, 256, 513]))
model.update(
    text_encoder=dict(
        _base_.tcm_modules.text_encoder,
        width=text_width,
        heads=4,
        layers=2,
        embed_dim=embed_dim),
    text_prompt=dict(_base_.tcm_modules.text_prompt, width=text_width),
    language_prompt=dict(
        _base_.tcm_modules.language_prompt,
        in_channels=embed_dim,
        hidden_channels=embed_dim,
        out_channels=text_width),
    visual_prompt=dict(
        _base_.tcm_modules.visual_prompt,
        in_channels=embed_dim,
        channels=64,
        num_layers=2),
    context_decoder=dict(
        _base_.tcm_modules.context_decoder,
        in_channels=embed_dim,
        channels=64,
        num_layers=2),
    clip_checkpoint=None,
    allow_random_clip=True)

optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys=dict(text_encoder=dict(lr_mult=0.0))))
