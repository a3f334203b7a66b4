# TCM-FCENet (CLIP RN50) on ICDAR2015: MMOCR's FCENet-R50 ICDAR2015 config
# (mmdet FPN on C3..C5, FCEHead, loss, postprocessor, test scale 2260) with
# TCM's modules (C5 + score map: 2049 channels) and the authors' recipe:
# Ranger (RAdam in Lookahead) 1e-3 without weight decay, poly 0.9 over 1800
# epochs, batch 16, 4 learnable context tokens, trained from CLIP.
# FCENet's loss has no text kernel: the auxiliary target is the full text
# region (as the authors' FCENet text-region map).
_base_ = [
    'mmocr::textdet/fcenet/fcenet_resnet50_fpn_1500e_icdar2015.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(
    _base_.tcm_model,
    # the authors' FCENet input_resolution (positional grid 25x25)
    backbone=dict(
        _base_.tcm_backbone, out_indices=(1, 2, 3), pretrain_img_size=800),
    neck=dict(in_channels=[512, 1024, 2049]),
    aux_shrink_ratio=1.0)

optim_wrapper = _base_.tcm_optim_wrapper_ranger
train_cfg = dict(max_epochs=1800)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1800)]
train_dataloader = dict(batch_size=16)
auto_scale_lr = dict(base_batch_size=16)
