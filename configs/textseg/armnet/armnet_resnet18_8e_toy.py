# ARM-Net on the bundled generated data, from random initialisation, sized
# for a few CPU minutes: ResNet-18 at a quarter of its width (16..128
# channels), dilated to output stride 8 like the paper configs' ResNet-50
# (C2 and C5, 32 x 32 positions for the 256 input), a 16-channel TSM
# (16 + 8 x 16 channels concatenated), a 32-channel DPD (one stage) with a
# 16-channel CARAFE compressor, a small REM. The toy schedule (Adam 1e-3,
# 8 epochs) of the FCN baseline (configs/textseg/fcn/fcn_resnet18_8e_toy.py).
#
# REM's teacher is the toy DAN: train it first on word crops of the same
# data (tools/run_demo.sh does both):
#   python tools/dataset_converters/crop_words.py ...  (see the README)
#   python tools/train.py configs/textrecog/dan/dan_resnet45-cam_20e_toy.py
_base_ = [
    '_base_armnet_resnet50.py',
    '../_base_/toy_scenetext_textseg.py',
]

rem_recognizer_config = 'configs/textrecog/dan/dan_resnet45-cam_20e_toy.py'
rem_recognizer_checkpoint = 'work_dirs/dan_resnet45-cam_20e_toy/epoch_20.pth'

model = dict(
    backbone=dict(depth=18, base_channels=16, init_cfg=None),
    tsm=dict(in_channels=128, channels=16),
    decoder=dict(
        in_channels=[16, 144],
        channels=32,
        stage_cfg=dict(compressed_channels=16)),
    rem=dict(
        in_channels=32,
        recognizer=dict(
            config=rem_recognizer_config,
            checkpoint=rem_recognizer_checkpoint),
        unet=dict(base_channels=8),
        attention=dict(key_channels=16)),
    seg_head=dict(in_channels=32, feat_channels=16))
