# TCM-PANet (CLIP RN50) on CTW1500: MMOCR's PANet CTW1500 config with the
# CLIP RN50 encoder and TCM's modules, 32 learnable context tokens, AdamW
# 1e-4 (the authors' CTW1500 optimiser).
_base_ = [
    'mmocr::textdet/panet/panet_resnet18_fpem-ffm_600e_ctw1500.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(_base_.tcm_model, text_prompt=_base_.tcm_text_prompt_32)

optim_wrapper = _base_.tcm_optim_wrapper_adamw
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=600)]
train_dataloader = dict(batch_size=16)
auto_scale_lr = dict(base_batch_size=16)
