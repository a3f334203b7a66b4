# TCM-DBNet (CLIP RN50) on MSRA-TD500 (data layout in
# configs/_base_/datasets/msra_td500.py): the ICDAR2015 recipe with TD500
# data and a test short side of 736. The authors use Ranger (RAdam +
# Lookahead) at 1e-3; torch has RAdam but no Lookahead, so this is RAdam
# 1e-3 (our substitution).
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    '../../_base_/datasets/msra_td500.py',
]

optim_wrapper = dict(optimizer=dict(type='RAdam', lr=1e-3))

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
td500_textdet_test = dict(_base_.td500_textdet_test, pipeline=test_pipeline)
train_dataloader = dict(dataset=td500_textdet_train)
val_dataloader = dict(dataset=td500_textdet_test)
test_dataloader = val_dataloader
