# Pieces of MMOCR's CRNN (MiniVGG + BiLSTM + CTC, grey 32 x 100 input) with
# a text mask as a second input channel: the first convolution reads
# grey + mask. Inherit it beside an MMOCR CRNN config and use the pieces:
#   model = crnn_mask_model  (merged into the CRNN model of the other base)
# The crops are loaded in colour (so that a segmenter can see them) and the
# data preprocessor makes MMOCR's grey channel from them (BT.601), then
# appends the mask channel of ``mask_source``.
custom_imports = dict(
    imports=['projects.mask_guided_recognition.mask_guided_recognition'],
    allow_failed_imports=False)

crnn_mask_model = dict(
    type='MaskGuidedCRNN',
    input_convs=['backbone.cnn.conv0'],
    new_channel_std=0.0,
    trainable='all',
    backbone=dict(input_channels=2),
    data_preprocessor=dict(
        _delete_=True,
        type='MaskChannelDataPreprocessor',
        mean=[127],
        std=[127],
        gray=True,
        mask_source='random'))

crnn_meta_keys = ('img_path', 'ori_shape', 'img_shape', 'valid_ratio')
# The ground-truth mask is loaded before the resize: mmcv's transforms
# resize (nearest-neighbour) and pad ``gt_seg_map`` together with the image.
crnn_load_mask = dict(
    type='LoadTextMasks', mask_keys=dict(pixel_mask_path='gt_seg_map'))
crnn_mask_train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    dict(type='PackMaskedTextRecogInputs', meta_keys=crnn_meta_keys)
]
crnn_mask_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RescaleToHeight',
        height=32,
        min_width=32,
        max_width=None,
        width_divisor=16),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='PackMaskedTextRecogInputs', meta_keys=crnn_meta_keys)
]
crnn_gt_mask_train_pipeline = (
    crnn_mask_train_pipeline[:1] + [crnn_load_mask] +
    crnn_mask_train_pipeline[1:])
crnn_gt_mask_test_pipeline = (
    crnn_mask_test_pipeline[:1] + [crnn_load_mask] +
    crnn_mask_test_pipeline[1:])
