# The authors' MSRA-TD500 data for TCM: trained on TD500 + HUST-TR400
# (configs/_base_/datasets/msra_td500.py, hust_tr400.py), tested on TD500
# with the short side resized to 736 (long side <= 4068). A detector config
# takes this file as a base and sets the detector's own train pipeline on
# both training sets.
_base_ = [
    '../../_base_/datasets/msra_td500.py',
    '../../_base_/datasets/hust_tr400.py',
]

td500_test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(4068, 736), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
