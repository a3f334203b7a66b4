# Cross-dataset TCM-DBNet (slides Table 3, IC13 -> TD500): the ICDAR2015
# TCM-DBNet recipe (Adam 1e-4, 1200 epochs) trained on ICDAR2013
# (configs/_base_/datasets/icdar2013.py), validated and tested on
# MSRA-TD500 with the TD500 test scale (short side 736) and the authors'
# TD500 postprocessor. The authors publish the DBNet baseline of this row
# only (dbnet_r50dcnv2_fpnc_1200e_ic13_teston_td.py), not the TCM config.
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    '../../_base_/datasets/icdar2013.py',
    '../../_base_/datasets/msra_td500.py',
]

model = dict(det_head=dict(postprocessor=_base_.tcm_db_postprocessor_td500))

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
icdar2013_textdet_train = dict(
    _base_.icdar2013_textdet_train, pipeline=_base_.train_pipeline)
td500_textdet_test = dict(_base_.td500_textdet_test, pipeline=test_pipeline)
train_dataloader = dict(dataset=icdar2013_textdet_train)
val_dataloader = dict(dataset=td500_textdet_test)
test_dataloader = val_dataloader
