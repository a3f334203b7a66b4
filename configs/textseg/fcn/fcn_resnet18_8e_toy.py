# The plain FCN text segmentation baseline (ResNet-18 + a light FCN decoder,
# BCE + Dice on the pixel-level mask) on the bundled generated data, from
# random initialisation, sized for a few CPU minutes.
_base_ = ['../_base_/toy_scenetext_textseg.py']

model = dict(
    type='FCNTextSegmentor',
    data_preprocessor=_base_.textseg_data_preprocessor,
    backbone=dict(
        type='mmdet.ResNet',
        depth=18,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        style='pytorch',
        # No download at run time: train from scratch (set a local
        # checkpoint to start from pretrained weights).
        init_cfg=None),
    decode_head=dict(
        type='FCNTextSegHead',
        in_channels=[64, 128, 256, 512],
        feat_channels=64,
        num_convs=1,
        loss_bce=dict(
            type='mmdet.CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0),
        loss_dice=dict(
            type='mmdet.DiceLoss', use_sigmoid=True, loss_weight=1.0)),
    threshold=0.5)
