# The TPN spotter (Li, Wang, Shen, ICCV 2017): VGG-16 with the 1st, 2nd and
# 4th pools (stride 8), the text proposal network (24 anchors, rectangular
# filters, hard negative mining), varying-width RoI pooling + LSTM region
# encoder, the text detection network (2 x 2048 FC) and the attention
# recognition network (38 classes). Components and defaults:
# mmtextknow/models/textspot/tpn/.
vgg_channels = 512
region_channels = 256

model = dict(
    type='TPNSpotter',
    # ImageNet VGG-16 (torchvision's file; its features.* keys are renamed
    # on load, see vgg_stride8.py). The later curriculum stages replace all
    # weights by their load_from checkpoint after this init. Offline, put
    # vgg16-397923af.pth in torch's hub cache (checkpoints/) or set
    # model.backbone.init_cfg=None (random init, for tests and demos).
    backbone=dict(
        type='VGG16Stride8',
        base_channels=64,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    tpn_head=dict(
        type='TPNHead',
        in_channels=vgg_channels,
        feat_channels=512,
        rect_kernels=((3, 3), (5, 3), (3, 1)),
        hard_negative_mining=True,
        train_cfg=dict(
            assigner=dict(
                type='mmdet.MaxIoUAssigner',
                pos_iou_thr=0.7,
                neg_iou_thr=0.3,
                min_pos_iou=0.3,
                match_low_quality=True,
                ignore_iof_thr=0.5),
            sampler=dict(
                type='mmdet.RandomSampler',
                num=256,
                pos_fraction=0.5,
                neg_pos_ub=-1,
                add_gt_as_proposals=False),
            allowed_border=-1,
            pos_weight=-1,
            debug=False),
        test_cfg=dict(
            nms_pre=2000,
            max_per_img=300,
            nms=dict(type='nms', iou_threshold=0.7),
            min_bbox_size=0)),
    roi_pool=dict(
        type='VaryingWidthRoIPool', out_height=8, max_width=64, stride=8),
    region_encoder=dict(
        type='RegionFeatureEncoder',
        in_channels=vgg_channels,
        out_height=8,
        hidden_channels=region_channels),
    tdn=dict(
        type='TextDetectionNetwork',
        in_channels=region_channels,
        fc_channels=2048,
        num_fcs=2),
    trn=dict(
        type='TextRecognitionNetwork',
        in_channels=region_channels,
        dictionary=dict(type='TPNCharset'),
        embed_dims=256,
        hidden_channels=256,
        attn_channels=256,
        max_len=32),
    train_cfg=dict(
        tpn_proposal=dict(
            nms_pre=2000,
            max_per_img=300,
            nms=dict(type='nms', iou_threshold=0.7),
            min_bbox_size=0),
        tdn_assigner=dict(
            type='mmdet.MaxIoUAssigner',
            pos_iou_thr=0.6,
            neg_iou_thr=0.4,
            min_pos_iou=0.6,
            match_low_quality=False,
            ignore_iof_thr=0.5),
        tdn_sampler=dict(
            type='mmdet.RandomSampler',
            num=128,
            pos_fraction=0.5,
            neg_pos_ub=-1,
            add_gt_as_proposals=True)),
    test_cfg=dict(score_thr=0.5, nms_iou_thr=0.3, max_per_img=100),
    data_preprocessor=dict(
        type='TextDetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32))

# One image per iteration, short side 600 (long side <= 1200). Training
# augmentation as in the paper: a random crop that keeps every word
# (the window's minimum side ratio 0.5 is our choice), then the width
# scaled by 1 or 0.8. The ground truth is loaded first and transformed with
# the image. (The 0.8 step's Resize records its own scale_factor, (0.8, 1),
# not the product with the first Resize: nothing in training reads it, and
# the crop's offset is not recorded either.)
load_image = dict(
    type='LoadImageFromFile', color_type='color_ignore_orientation')
load_annotations = dict(
    type='LoadOCRAnnotations',
    with_bbox=True,
    with_polygon=True,
    with_label=True,
    with_text=True)
load_steps = [load_image, load_annotations]
pack_step = dict(
    type='PackTextDetInputs',
    meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
train_pipeline = load_steps + [
    dict(type='TextPreservingRandomCrop', min_side_ratio=0.5),
    dict(type='Resize', scale=(1200, 600), keep_ratio=True),
    dict(
        type='RandomChoice',
        transforms=[[dict(type='Resize', scale_factor=(1.0, 1.0))],
                    [dict(type='Resize', scale_factor=(0.8, 1.0))]]),
    pack_step,
]
# Test / validation (MMOCR's textdet / textspotting order): the ground truth
# is loaded AFTER the single Resize, so it stays in the original image's
# frame, where the spotter maps its predictions back (divided by
# scale_factor) and where --show-dir draws both on the original image.
test_pipeline = [
    load_image,
    dict(type='Resize', scale=(1200, 600), keep_ratio=True),
    load_annotations,
    pack_step,
]

# Locking the recogniser leaves parameters without gradients.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
