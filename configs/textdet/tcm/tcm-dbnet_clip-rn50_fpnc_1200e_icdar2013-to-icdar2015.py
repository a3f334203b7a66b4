# Cross-dataset TCM-DBNet (slides Table 3, IC13 -> IC15): the ICDAR2015
# TCM-DBNet recipe (Adam 1e-4, 1200 epochs, its postprocessor) trained on
# ICDAR2013 (configs/_base_/datasets/icdar2013.py), validated and tested on
# ICDAR2015. The authors publish the DBNet baseline of this row only
# (dbnet_r50dcnv2_fpnc_1200e_ic13_teston_ic15.py), not the TCM config.
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    '../../_base_/datasets/icdar2013.py',
]

icdar2013_textdet_train = dict(
    _base_.icdar2013_textdet_train, pipeline=_base_.train_pipeline)
train_dataloader = dict(dataset=icdar2013_textdet_train)
