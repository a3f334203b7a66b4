# Text segmentation on the bundled generated data: pipelines, loaders,
# metric and visualiser shared by the textseg configs. Pipelines are built
# from named pieces so that a method can insert its own steps.
_base_ = [
    'mmocr::textdet/_base_/default_runtime.py',
    '../../_base_/datasets/toy_scenetext.py',
    '../../_base_/schedules/schedule_adam_toy.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

img_scale = (256, 256)
load_steps = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
]
mask_steps = [
    dict(type='LoadTextMasks'),
    # Polygon-level GT from the word polygons where no mask file exists.
    dict(type='RasterizePolygonMask'),
]
geometric_steps = [
    # The same transform for the image, both masks and polygons.
    dict(type='TextSegRandomRotate', max_angle=10),
    dict(type='TextSegRandomFlip', prob=0.5, direction='horizontal'),
    dict(
        type='RandomResize',
        scale=img_scale,
        ratio_range=(1.0, 1.5),
        keep_ratio=True,
        resize_type='TextSegResize'),
]
crop_steps = [dict(type='TextSegRandomCrop', target_size=img_scale)]
colour_steps = [
    # Brightness, contrast, saturation, hue: MMOCR's torchvision wrapper as
    # is; it changes only the image, so the masks stay valid.
    dict(
        type='TorchVisionWrapper',
        op='ColorJitter',
        brightness=0.2,
        contrast=0.2,
        saturation=0.5,
        hue=0.05),
    dict(type='RandomGaussianNoise', prob=0.5, std=(0., 8.)),
]
pack_steps = [dict(type='PackTextSegInputs')]
train_pipeline = (
    load_steps + mask_steps + geometric_steps + crop_steps + colour_steps +
    pack_steps)
# Masks are loaded AFTER the resize: they stay at the original size, where
# predictions (restored by the model's postprocess) are compared with them.
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='TextSegResize', scale=img_scale, keep_ratio=True),
    dict(type='LoadTextMasks'),
    dict(type='PackTextSegInputs'),
]

toy_scenetext_textseg_train = _base_.toy_scenetext_textseg_train
toy_scenetext_textseg_train.pipeline = train_pipeline
toy_scenetext_textseg_test = _base_.toy_scenetext_textseg_test
toy_scenetext_textseg_test.pipeline = test_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=toy_scenetext_textseg_train)
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=toy_scenetext_textseg_test)
test_dataloader = val_dataloader

val_evaluator = dict(type='TextPixelMetric')
test_evaluator = val_evaluator

visualizer = dict(
    type='TextSegLocalVisualizer',
    name='visualizer',
    vis_backends=[dict(type='LocalVisBackend')])

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=4),
    checkpoint=dict(type='CheckpointHook', interval=4))
randomness = dict(seed=0)
auto_scale_lr = dict(base_batch_size=8)

textseg_data_preprocessor = dict(
    type='TextSegDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_size_divisor=32)
