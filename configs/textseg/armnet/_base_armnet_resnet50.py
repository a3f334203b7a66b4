# ARM-Net (ACCV 2022): ResNet-50 (C2..C5), the TSM on C5 (criss-cross GTM
# + directional atrous DTM, rates 1, 2, 3, 6, outputs concatenated: 256 +
# 8 x 256 channels), the DPD decoder (3 stages, C5 -> stride 4, low-level
# fusion with C4, C3, C2), the REM on the stride-4 features and a 1x1
# classifier, BCE + Dice on the pixel-level mask (the paper names no loss:
# our choice, as the FCN baseline) + REM's L1 loss. Widths (256), the
# classifier and the REM's U-Net / attention sizes are our choice too.
#
# REM reads the words with a frozen DAN in training only. Train it first
# (tools/train.py configs/textrecog/dan/dan_resnet45-cam_10e_st-mj.py) and
# put its weights at rem_recognizer_checkpoint, or override
# model.rem.recognizer.checkpoint=... on the command line. Testing and
# inference do not need the recognizer.
rem_recognizer_config = 'configs/textrecog/dan/dan_resnet45-cam_10e_st-mj.py'
rem_recognizer_checkpoint = 'checkpoints/dan_resnet45-cam_10e_st-mj.pth'
data_preprocessor = dict(
    type='TextSegDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_size_divisor=32)

model = dict(
    type='ARMNet',
    data_preprocessor=data_preprocessor,
    # C2..C5 (256, 512, 1024, 2048 channels, strides 4 to 32), all trained.
    backbone=dict(
        type='mmdet.ResNet',
        depth=50,
        out_indices=(0, 1, 2, 3),
        norm_eval=False,
        # No download at run time. For ImageNet weights (the paper does not
        # say) set init_cfg=dict(type='Pretrained',
        # checkpoint='torchvision://resnet50').
        init_cfg=None),
    tsm=dict(
        type='ARMNetTSM',
        in_channels=2048,
        channels=256,
        use_gtm=True,
        use_dtm=True,
        dilations=(1, 2, 3, 6)),
    # The TSM's concatenation (256 + 2048) replaces C5.
    decoder=dict(
        type='ARMNetDPD', in_channels=[256, 512, 1024, 2304], channels=256),
    # 1x1 conv + BN + ReLU, 1x1 conv to the text logit, bilinear to the
    # input size; FCNTextSegHead's default losses (BCE + Dice, weights 1).
    # A light U-Net predicts the recognizer's text attention map (L1 loss),
    # which queries the features (eq. 6; keys/values pooled x4).
    rem=dict(
        type='ARMNetREM',
        in_channels=256,
        recognizer=dict(
            config=rem_recognizer_config,
            checkpoint=rem_recognizer_checkpoint,
            crop_size=(32, 128)),
        unet=dict(base_channels=32, num_levels=3),
        attention=dict(key_channels=64, kv_stride=4),
        loss_weight=1.0),
    seg_head=dict(
        type='FCNTextSegHead', in_channels=256, feat_channels=64,
        num_convs=0),
    threshold=0.5)
