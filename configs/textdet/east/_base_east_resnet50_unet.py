# EAST with ResNet-50 (see _base_east_model.py) and its 512 x 512 training
# pipeline; _base_east_640.py changes the sizes for IC17 / TD500.
_base_ = ['_base_east_model.py']

model = _base_.east_model

# Random rotation and a random crop that cuts no text, resized to the
# square training size (paper Sec. 4.2 of STKM; EAST Sec. 4.2).
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(type='FixInvalidPolygon'),
    dict(type='RandomRotate', max_angle=10),
    dict(type='RandomCrop', min_side_ratio=0.4),
    dict(type='Resize', scale=(512, 512), keep_ratio=False),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]

test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(1280, 720), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
