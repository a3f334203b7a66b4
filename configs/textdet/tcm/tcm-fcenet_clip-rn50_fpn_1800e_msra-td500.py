# TCM-FCENet (CLIP RN50) on MSRA-TD500 (slides Table 1; the authors publish
# no FCENet TD500 config): the ICDAR2015 TCM-FCENet recipe with the
# authors' TD500 data (TD500 + HUST-TR400) and test short side 736.
_base_ = [
    'tcm-fcenet_clip-rn50_fpn_1800e_icdar2015.py',
    '../../_base_/datasets/msra_td500.py',
    '../../_base_/datasets/hust_tr400.py',
]

test_pipeline = [
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
td500_textdet_train = dict(
    _base_.td500_textdet_train, pipeline=_base_.train_pipeline)
hust_tr400_textdet_train = dict(
    _base_.hust_tr400_textdet_train, pipeline=_base_.train_pipeline)
td500_textdet_test = dict(_base_.td500_textdet_test, pipeline=test_pipeline)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[td500_textdet_train, hust_tr400_textdet_train]))
val_dataloader = dict(dataset=td500_textdet_test)
test_dataloader = val_dataloader
