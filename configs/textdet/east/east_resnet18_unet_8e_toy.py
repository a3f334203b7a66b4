# EAST (ResNet-18, U-shaped merging branch, RBOX) on the bundled generated
# data, from random initialisation, sized for a few CPU minutes (the
# counterpart of configs/textdet/dbnet/dbnet_resnet18_fpnc_8e_toy.py).
_base_ = [
    '_base_east_resnet50_unet.py',
    'mmocr::textdet/_base_/default_runtime.py',
    '../../_base_/datasets/toy_scenetext.py',
    '../../_base_/schedules/schedule_adam_toy.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

# No download at run time: train from scratch.
model = dict(
    backbone=dict(depth=18, init_cfg=None),
    neck=dict(in_channels=(64, 128, 256, 512)),
    det_head=dict(geo_scale=256))

img_scale = (256, 256)
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='TorchVisionWrapper',
        op='ColorJitter',
        brightness=32.0 / 255,
        saturation=0.5),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='Pad', size=img_scale),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]

toy_scenetext_textdet_train = _base_.toy_scenetext_textdet_train
toy_scenetext_textdet_train.pipeline = train_pipeline
toy_scenetext_textdet_test = _base_.toy_scenetext_textdet_test
toy_scenetext_textdet_test.pipeline = test_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=toy_scenetext_textdet_train)
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=toy_scenetext_textdet_test)
test_dataloader = val_dataloader

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=4),
    checkpoint=dict(type='CheckpointHook', interval=4))
randomness = dict(seed=0)
auto_scale_lr = dict(base_batch_size=8)
