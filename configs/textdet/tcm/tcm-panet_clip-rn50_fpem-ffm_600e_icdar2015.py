# TCM-PANet (CLIP RN50) on ICDAR2015: MMOCR's PANet ICDAR2015 config
# (FPEM-FFM, PANHead, loss, postprocessor) with the CLIP RN50 encoder and
# TCM's modules (C5 + score map: 2049 channels); the auxiliary target is
# PANet's text kernel (its smallest shrink ratio, 0.5). Optimiser as the
# authors' ICDAR2015 one: Adam 1e-4, weight decay 1e-4, poly 0.9.
_base_ = [
    'mmocr::textdet/panet/panet_resnet18_fpem-ffm_600e_icdar2015.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = _base_.tcm_model

optim_wrapper = _base_.tcm_optim_wrapper
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=600)]
train_dataloader = dict(batch_size=16)
auto_scale_lr = dict(base_batch_size=16)
