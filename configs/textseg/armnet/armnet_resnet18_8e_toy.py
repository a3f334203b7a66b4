# ARM-Net (without REM) on the bundled generated data, from random
# initialisation, sized for a few CPU minutes: ResNet-18, a 16-channel TSM
# (16 + 8 x 16 channels concatenated), a 64-channel DPD with a 16-channel
# CARAFE compressor. The toy schedule (Adam 1e-3, 8 epochs) of the FCN
# baseline (configs/textseg/fcn/fcn_resnet18_8e_toy.py).
_base_ = [
    '_base_armnet_resnet50.py',
    '../_base_/toy_scenetext_textseg.py',
]

model = dict(
    backbone=dict(depth=18),
    tsm=dict(in_channels=512, channels=16),
    decoder=dict(
        in_channels=[64, 128, 256, 144],
        channels=64,
        stage_cfg=dict(compressed_channels=16)),
    seg_head=dict(in_channels=64, feat_channels=32))
