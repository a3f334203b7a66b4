# MGNet (IEEE TIP 2021) on the bundled generated data, semi-supervised: half
# of the training images keep only their polygon-level mask. Channel widths
# are a quarter of Table I's (x0.25) to train in a few CPU minutes. Stage 1
# (decoders disconnected, SoftIoU only) for 6 epochs, then stage 2 (mutual
# guidance + subset and CRF losses) at a tenth of the learning rate. It
# trains on 128x128 crops (fully convolutional) and tests on whole images.
_base_ = [
    '_base_mgnet_vgg.py',
    '../_base_/toy_scenetext_textseg.py',
]

# A quarter of Table I's widths.
encoder_channels = (16, 32, 64, 128, 128)
guided_decoder = dict(
    in_channels=encoder_channels[-1],
    guidance_encoder=dict(stage_channels=encoder_channels),
    channels=(64, 32, 16, 16),
    fusion_channels=128)
model = dict(
    encoder=dict(stage_channels=encoder_channels),
    pixel_decoder=guided_decoder,
    polygon_decoder=guided_decoder)

semi_supervised_steps = [
    dict(
        type='HideAnnotationForSubset',
        keys=('pixel_mask_path', ),
        hidden_fraction=0.5)
]
train_pipeline = (
    _base_.load_steps + semi_supervised_steps + _base_.mask_steps +
    _base_.geometric_steps +
    [dict(type='TextSegRandomCrop', target_size=(128, 128))] +
    _base_.colour_steps + _base_.pack_steps)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

stage2_epoch = 6
train_cfg = dict(max_epochs=12, val_interval=12)
custom_hooks = [dict(type='MGNetPhaseSwitchHook', switch_epoch=stage2_epoch)]
param_scheduler = [
    dict(type='MultiStepLR', milestones=[stage2_epoch], gamma=0.1)
]
