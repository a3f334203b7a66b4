# Runtime and pipelines for text segmentation on real data at MGNet's
# 512 x 512 input: MMOCR's default runtime with our metric and visualiser,
# and the paper's augmentations (rotation, saturation, hue, noise,
# brightness, contrast).
_base_ = ['mmocr::textdet/_base_/default_runtime.py', 'textseg_steps.py']
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

img_scale = (512, 512)
augment_steps = [
    dict(type='TextSegRandomRotate', max_angle=10),
    dict(
        type='RandomResize',
        scale=img_scale,
        ratio_range=(0.8, 1.25),
        keep_ratio=True,
        resize_type='TextSegResize'),
    dict(type='TextSegRandomCrop', target_size=img_scale),
]
train_pipeline = (
    _base_.load_steps + _base_.mask_steps + augment_steps +
    _base_.colour_steps + _base_.pack_steps)
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='TextSegResize', scale=img_scale, keep_ratio=True),
    dict(type='LoadTextMasks'),
    dict(type='PackTextSegInputs'),
]

val_evaluator = dict(type='TextPixelMetric')
test_evaluator = val_evaluator
visualizer = dict(
    type='TextSegLocalVisualizer',
    name='visualizer',
    vis_backends=[dict(type='LocalVisBackend')])
