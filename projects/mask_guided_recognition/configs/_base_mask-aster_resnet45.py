# Pieces of MMOCR's ASTER (TPS-STN + ResNet-45 + BiLSTM + attention
# decoder, BGR 64 x 256 input) with a text mask as a fourth input channel.
# Inherit it beside an MMOCR ASTER config and use the pieces:
#   model = aster_mask_model  (merged into the ASTER model of the other base)
# Both layers that read the image are widened from 3 to 4 input channels:
# the first convolution of the STN's localisation network and the
# backbone's stem. The STN warps all four channels alike, so the mask stays
# aligned with the rectified image.
custom_imports = dict(
    imports=['projects.mask_guided_recognition.mask_guided_recognition'],
    allow_failed_imports=False)

aster_mask_model = dict(
    type='MaskGuidedASTER',
    input_convs=[
        'preprocessor.stn_convnet.0.conv', 'backbone.stem_layers.0.conv'
    ],
    new_channel_std=0.0,
    trainable='all',
    preprocessor=dict(in_channels=4),
    backbone=dict(in_channels=4),
    # As MMOCR's ASTER: BGR channels, no conversion.
    data_preprocessor=dict(
        _delete_=True,
        type='MaskChannelDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        mask_source='random'))

aster_train_meta_keys = ('img_path', 'ori_shape', 'img_shape', 'valid_ratio')
aster_test_meta_keys = aster_train_meta_keys + ('instances', )
aster_load_mask = dict(
    type='LoadTextMasks', mask_keys=dict(pixel_mask_path='gt_seg_map'))
aster_mask_train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=5),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=(256, 64)),
    dict(type='PackMaskedTextRecogInputs', meta_keys=aster_train_meta_keys)
]
aster_mask_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 64)),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='PackMaskedTextRecogInputs', meta_keys=aster_test_meta_keys)
]
aster_gt_mask_train_pipeline = (
    aster_mask_train_pipeline[:1] + [aster_load_mask] +
    aster_mask_train_pipeline[1:])
aster_gt_mask_test_pipeline = (
    aster_mask_test_pipeline[:1] + [aster_load_mask] +
    aster_mask_test_pipeline[1:])
