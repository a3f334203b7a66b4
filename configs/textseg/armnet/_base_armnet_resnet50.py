# ARM-Net (ACCV 2022): an ImageNet ResNet-50 dilated to output stride 8
# (C2 at stride 4, C5 at stride 8), the TSM on C5 (criss-cross GTM +
# directional atrous DTM, rates 1, 2, 3, 6, outputs concatenated: 256 +
# 8 x 256 channels; 64 x 64 positions for a 512 input), the DPD decoder (one
# stage, stride 8 -> 4, low-level fusion with C2), the REM on the stride-4
# features and a 1x1 classifier, BCE + Dice on the pixel-level mask (the
# paper names no loss: our choice, as the FCN baseline) + REM's L1 loss.
# Widths (256), the classifier and the REM's U-Net / attention sizes are our
# choice too. The paper names ResNet-50 only; ImageNet weights and output
# stride 8 are our reading: the DTM's atrous rates (Table 4: up to 24) and
# the GTM's criss-cross attention are DeepLab / CCNet modules, which run on
# output-stride-8 features (at stride 32, 16 x 16 positions, rates 12-24
# put most taps in the padding).
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
    # mmdet's torchvision-layout ResNet (so torchvision://resnet50 loads),
    # stages 3 and 4 with stride 1 and dilation 2 and 4: DeepLab's / mmseg's
    # D8 strides and dilations. mmdet gives every block of a stage its rate
    # (mmseg's contract_dilation and torchvision's
    # replace_stride_with_dilation give the first block the previous one).
    # C2 (256 channels, stride 4) and C5 (2048, stride 8) go on; C3 and C4,
    # also at stride 8, are not used. All stages are trained (BN too).
    backbone=dict(
        type='mmdet.ResNet',
        depth=50,
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        out_indices=(0, 3),
        norm_eval=False,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    tsm=dict(
        type='ARMNetTSM',
        in_channels=2048,
        channels=256,
        use_gtm=True,
        use_dtm=True,
        dilations=(1, 2, 3, 6)),
    # The TSM's concatenation (256 + 2048) replaces C5; one DPD stage
    # (x2, the channel affinity scaled by 1/sqrt(HW)) fuses C2.
    decoder=dict(type='ARMNetDPD', in_channels=[256, 2304], channels=256),
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
