# TCM-FCENet (CLIP RN50) on ICDAR2015: MMOCR's FCENet-R50 ICDAR2015 config
# (mmdet FPN on C3..C5, FCEHead, loss, postprocessor) with TCM's modules
# (C5 + score map: 2049 channels). FCENet's loss has no text kernel of its
# own: the auxiliary target is the text kernel shrunk by 0.4 as DBNet's (our
# choice). Adam 1e-4, weight decay 1e-4, poly 0.9.
_base_ = [
    'mmocr::textdet/fcenet/fcenet_resnet50_fpn_1500e_icdar2015.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(
    _base_.tcm_model,
    backbone=dict(_base_.tcm_backbone, out_indices=(1, 2, 3)),
    neck=dict(in_channels=[512, 1024, 2049]),
    aux_shrink_ratio=0.4)

optim_wrapper = _base_.tcm_optim_wrapper
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1500)]
