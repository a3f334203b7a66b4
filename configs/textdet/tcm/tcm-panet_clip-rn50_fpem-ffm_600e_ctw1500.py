# TCM-PANet (CLIP RN50) on CTW1500: MMOCR's PANet CTW1500 config with the
# CLIP RN50 encoder and TCM's modules, 32 learnable context tokens, AdamW
# 1e-4 (the authors' CTW1500 optimiser).
_base_ = [
    'mmocr::textdet/panet/panet_resnet18_fpem-ffm_600e_ctw1500.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(
    type='TCM',
    backbone=_base_.tcm_backbone,
    neck=dict(in_channels=[256, 512, 1024, 2049]),
    data_preprocessor=_base_.clip_data_preprocessor,
    **_base_.tcm_modules)
# The authors' CTW1500 / TotalText prompt: 32 learnable context tokens.
model['text_prompt'] = dict(model['text_prompt'], num_context_tokens=32)

optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    constructor='NormDecayOptimWrapperConstructor',
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=1e-4),
    paramwise_cfg=_base_.tcm_paramwise_cfg)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=600)]
train_dataloader = dict(batch_size=16)
auto_scale_lr = dict(base_batch_size=16)

# Some ablations leave parameters without gradient (e.g. without the
# language prompt): DDP must look for them.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
