# Cross-dataset TCM-DBNet (slides Table 3, IC13 -> TD500): the ICDAR2015
# TCM-DBNet recipe (Adam 1e-4, 1200 epochs) trained on ICDAR2013
# (configs/_base_/datasets/icdar2013.py), validated and tested on
# MSRA-TD500 with the TD500 test scale (short side 736) and the authors'
# TD500 postprocessor. The authors publish the DBNet baseline of this row
# only (dbnet_r50dcnv2_fpnc_1200e_ic13_teston_td.py), not the TCM config.
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    '../../_base_/datasets/icdar2013.py',
    '_base_tcm_msra-td500.py',
]

model = dict(det_head=dict(postprocessor=_base_.tcm_db_postprocessor_td500))

icdar2013_textdet_train = dict(
    _base_.icdar2013_textdet_train, pipeline=_base_.train_pipeline)
td500_textdet_test = dict(
    _base_.td500_textdet_test, pipeline=_base_.td500_test_pipeline)
train_dataloader = dict(dataset=icdar2013_textdet_train)
val_dataloader = dict(dataset=td500_textdet_test)
test_dataloader = val_dataloader
