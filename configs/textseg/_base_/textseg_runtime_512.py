# Runtime and pipelines for text segmentation on real data at MGNet's
# 512 x 512 input: MMOCR's default runtime with our metric and visualiser,
# and the paper's augmentations (rotation, saturation, hue, noise,
# brightness, contrast).
_base_ = ['mmocr::textdet/_base_/default_runtime.py']
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

img_scale = (512, 512)
load_steps = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
]
mask_steps = [dict(type='LoadTextMasks'), dict(type='RasterizePolygonMask')]
augment_steps = [
    dict(type='TextSegRandomRotate', max_angle=10),
    dict(
        type='RandomResize',
        scale=img_scale,
        ratio_range=(0.8, 1.25),
        keep_ratio=True,
        resize_type='TextSegResize'),
    dict(type='TextSegRandomCrop', target_size=img_scale),
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
train_pipeline = load_steps + mask_steps + augment_steps + pack_steps
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
