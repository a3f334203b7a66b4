# Text segmentation on the bundled generated data: pipelines, loaders,
# metric and visualiser shared by the textseg configs. Pipelines are built
# from named pieces so that a method can insert its own steps.
_base_ = [
    'mmocr::textdet/_base_/default_runtime.py',
    '../../_base_/datasets/toy_scenetext.py',
    '../../_base_/schedules/schedule_adam_toy.py',
    'textseg_steps.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

img_scale = (256, 256)
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
train_pipeline = (
    _base_.load_steps + _base_.mask_steps + geometric_steps + crop_steps +
    _base_.colour_steps + _base_.pack_steps)
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
