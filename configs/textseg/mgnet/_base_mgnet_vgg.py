# MGNet as in the paper (IEEE TIP 2021, Table I): VGG-like shared encoder
# (64, 64 | 128, 128 | 256, 256 | 512, 512 | 512, 512, output stride 16),
# two guided decoders (each with a guidance encoder of the same structure)
# of 4 x (upsample, conv, conv) at 256/128/64/64 channels after a
# 512-channel fusion, SoftIoU + 10 subset + 0.1 CRF losses. The subset loss
# keeps eq. 3's outside-the-polygon term (mode='outside', see SubsetLoss).
data_preprocessor = dict(
    type='TextSegDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_size_divisor=32)

encoder_channels = (64, 128, 256, 512, 512)
guided_decoder = dict(
    type='MGNetGuidedDecoder',
    in_channels=encoder_channels[-1],
    guidance_encoder=dict(
        type='MGNetVGGEncoder', in_channels=1,
        stage_channels=encoder_channels),
    channels=(256, 128, 64, 64),
    fusion_channels=512)

model = dict(
    type='MGNet',
    data_preprocessor=data_preprocessor,
    encoder=dict(
        type='MGNetVGGEncoder', in_channels=3,
        stage_channels=encoder_channels),
    pixel_decoder=guided_decoder,
    polygon_decoder=guided_decoder,
    iou_loss=dict(type='SoftIoULoss'),
    subset_loss=dict(type='SubsetLoss', loss_weight=10.0, mode='outside'),
    crf_loss=dict(
        type='DenseCRFLoss',
        loss_weight=0.1,
        img_mean=data_preprocessor['mean'],
        img_std=data_preprocessor['std']))
