# DAN (Wang et al., AAAI 2020): ResNet-45 (MMOCR's ResNetABI), CAM and the
# decoupled text decoder; 36 case-insensitive alphanumerics + end/start +
# unknown (+ padding, never a target).
#
# Inputs are 3-channel 32 x 128 word crops, resized (not padded) and
# normalised with ImageNet's mean/std in RGB order -- instead of the paper's
# grey crops -- because ARM-Net's REM reads word crops cut (roi_align,
# resized to 32 x 128) out of RGB segmentation inputs with the same
# normalisation.
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../dicts/lower_english_digits.txt',
    with_start=True,
    with_end=True,
    same_start_end=True,
    with_padding=True,
    with_unknown=True)

max_seq_len = 25  # maxT: attention maps = decoding steps

model = dict(
    type='DANRecognizer',
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    # ResNet-45: 3, 4, 6, 6, 3 blocks, 32..512 channels, output stride 4;
    # stages 0 (32 x 16 x 64), 2 (128 x 8 x 32) and 4 (F, 512 x 8 x 32).
    backbone=dict(
        type='ResNetABI',
        in_channels=3,
        stem_channels=32,
        base_channels=32,
        arch_settings=[3, 4, 6, 6, 3],
        strides=[2, 1, 2, 1, 1],
        out_indices=[0, 2, 4]),
    encoder=dict(
        type='DANCAM',
        in_channels=[32, 128, 512],
        in_strides=[2, 4, 4],
        feat_channels=64,
        strides=[(2, 2), (2, 2), (2, 2), (1, 2)],
        max_seq_len=max_seq_len),
    decoder=dict(
        type='DANDecoder',
        in_channels=512,
        lstm_channels=256,
        hidden_channels=512,
        embed_dims=512,
        dropout=0.3,
        max_seq_len=max_seq_len,
        dictionary=dictionary,
        module_loss=dict(
            type='CEModuleLoss',
            letter_case='lower',
            ignore_first_char=True,
            reduction='mean'),
        postprocessor=dict(type='AttentionPostprocessor')))

train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=(128, 32), keep_ratio=False),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(128, 32), keep_ratio=False),
    # annotations are loaded after Resize: the ground truth is not resized
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
