# TCM-DBNet (CLIP RN50) on TotalText: MMOCR's DBNet TotalText config
# (polygon output, test short side 736) with TCM's modules, 32 learnable
# context tokens (the authors' CTW/TT setting) and AdamW 1e-4. The authors
# start from a 20-epoch pre-training on SynthText + IC15 + CTW + TotalText:
# give it with --cfg-options load_from=CKPT.
_base_ = [
    'mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_totaltext.py',
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
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1200)]

# Some ablations leave parameters without gradient (e.g. without the
# language prompt): DDP must look for them.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
