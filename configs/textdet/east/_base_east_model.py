# EAST (Zhou et al., CVPR 2017) with an ImageNet ResNet-50 (pytorch style,
# as STKM exports it), the U-shaped feature-merging branch, score map +
# RBOX geometry, the paper's loss (class-balanced cross-entropy, -log IoU
# + 10 x (1 - cos) angle loss) and locality-aware NMS, as ``east_model``
# for configs that inherit another detector's data settings.
east_model = dict(
    type='EAST',
    backbone=dict(
        type='mmdet.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    neck=dict(
        type='EASTNeck',
        in_channels=(256, 512, 1024, 2048),
        merge_channels=(128, 64, 32),
        out_channels=32),
    det_head=dict(
        type='EASTHead',
        in_channels=32,
        geometry='RBOX',
        geo_scale=512,
        module_loss=dict(
            type='EASTModuleLoss',
            geometry='RBOX',
            score_loss='balanced_bce',
            angle_weight=10.0,
            shrink_ratio=0.3,
            stride=4),
        postprocessor=dict(
            type='EASTPostprocessor',
            geometry='RBOX',
            score_thr=0.8,
            nms_thr=0.2,
            box_score_thr=0.1,
            stride=4,
            text_repr_type='quad')),
    data_preprocessor=dict(
        type='TextDetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32))
