# EAST at the 640 x 640 training size of ICDAR 2017 MLT and MSRA-TD500
# (STKM paper, Sec. 4.2): batch 22. These sets have long text lines and
# large images, so the geometry range is 1024 pixels and the test images
# are resized to a longer side of 1600.
_base_ = ['_base_east_resnet50_unet.py']

model = dict(det_head=dict(geo_scale=1024))
east_crop_size = 640
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
    dict(
        type='Resize',
        scale=(east_crop_size, east_crop_size),
        keep_ratio=False),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(1600, 1600), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
