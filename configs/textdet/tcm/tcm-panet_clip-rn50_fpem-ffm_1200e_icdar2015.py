# TCM-PANet (CLIP RN50) on ICDAR2015: MMOCR's PANet ICDAR2015 config
# (FPEM-FFM, PANHead, loss, postprocessor, 736x736 crops) with the CLIP RN50
# encoder and TCM's modules (C5 + score map: 2049 channels), the authors'
# recipe: Ranger (RAdam in Lookahead) 1e-3 without weight decay, poly 0.9
# over 1200 epochs, batch 16, 4 learnable context tokens; the auxiliary loss
# is a Dice loss with OHEM on the full text region (PANet's kernel at ratio
# 1). It starts from
# the SynthText + real pre-training
# (tcm-panet_clip-rn50_fpem-ffm_20e_synthtext-real.py); without it:
# --cfg-options load_from=None.
_base_ = [
    'mmocr::textdet/panet/panet_resnet18_fpem-ffm_600e_icdar2015.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)
load_from = 'work_dirs/tcm-panet_clip-rn50_fpem-ffm_20e_synthtext-real/epoch_20.pth'  # noqa

model = dict(
    _base_.tcm_model,
    # the authors' PANet ICDAR2015 input_resolution (positional grid 23x23)
    backbone=dict(_base_.tcm_backbone, pretrain_img_size=736),
    # the authors' PANet auxiliary loss: the full text region, Dice on the
    # pixels kept by per-image OHEM (3 negatives per positive)
    aux_shrink_ratio=1.0,
    matching=dict(_base_.tcm_modules.matching, loss_type='ohem_dice'))

optim_wrapper = _base_.tcm_optim_wrapper_ranger
train_cfg = dict(max_epochs=1200)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1200)]
train_dataloader = dict(batch_size=16)
auto_scale_lr = dict(base_batch_size=16)
