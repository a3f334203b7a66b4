# STKM (CVPR 2021) as in the paper: ResNet-50 + FPN (P2..P5, 256 ch), fusion
# to 512 channels at stride 8 with a 1x1 conv, ASPM, a 4-layer post-LN
# transformer decoder (d 512, 8 heads, ffn 1024), OTSG sequences of L = 400
# tokens, label-smoothed KL loss (eps 0.1), greedy decoding up to 99 steps.
# The authors' code differs: fusion kernel_size=3, decoder num_layers=1.
# The backbone starts from torchvision's ImageNet ResNet-50 (authors' code).
dictionary = dict(type='OTSGDictionary', max_len=400, unknown='unk')

model = dict(
    type='STKM',
    data_preprocessor=dict(
        type='ImgDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32),
    backbone=dict(
        type='mmdet.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        style='pytorch',
        # Pre-training starts from ImageNet, as the authors' code does
        # (model/transformers.py: resnet50(True), torchvision's weights).
        # Offline runs (tests, demos) set model.backbone.init_cfg=None.
        init_cfg=dict(
            type='Pretrained', checkpoint='torchvision://resnet50')),
    neck=dict(
        type='mmdet.FPN',
        in_channels=[256, 512, 1024, 2048],
        out_channels=256,
        num_outs=4),
    fusion=dict(
        type='STKMFeatureFusion',
        in_channels=256,
        num_levels=4,
        out_channels=512,
        kernel_size=1,  # code: 3
        out_stride=8),
    position=dict(type='AdaptiveSpatialPositionMap', channels=512),
    decoder=dict(
        type='STKMDecoder',
        d_model=512,
        num_heads=8,
        ffn_channels=1024,
        num_layers=4,  # code: 1
        dropout=0.1,
        max_seq_len=400),
    dictionary=dictionary,
    loss=dict(type='LabelSmoothedKLLoss', epsilon=0.1),
    max_len=400,
    trim_targets=True,
    max_decode_steps=99)
