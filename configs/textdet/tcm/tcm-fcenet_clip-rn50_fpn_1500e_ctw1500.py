# TCM-FCENet (CLIP RN50) on CTW1500: MMOCR's FCENet CTW1500 config with the
# CLIP RN50 encoder (instead of ResNet-50 + DCNv2) and TCM's modules, 32
# learnable context tokens, AdamW 1e-4 (the authors' CTW1500 optimiser).
_base_ = [
    'mmocr::textdet/fcenet/fcenet_resnet50-dcnv2_fpn_1500e_ctw1500.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(
    _base_.tcm_model,
    backbone=dict(_base_.tcm_backbone, out_indices=(1, 2, 3)),
    neck=dict(in_channels=[512, 1024, 2049]),
    text_prompt=_base_.tcm_text_prompt_32,
    aux_shrink_ratio=0.4)

optim_wrapper = _base_.tcm_optim_wrapper_adamw
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1500)]
