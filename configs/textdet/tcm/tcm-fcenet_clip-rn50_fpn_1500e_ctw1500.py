# TCM-FCENet (CLIP RN50) on CTW1500: MMOCR's FCENet CTW1500 config (1500
# epochs, polygon output, test 1080 x 736) with the CLIP RN50 encoder
# (instead of ResNet-50 + DCNv2), TCM's modules and the authors' FCENet
# recipe (they publish no FCENet CTW1500 config): Ranger 1e-3 without
# weight decay, poly 0.9, batch 16, 4 learnable context tokens, the full
# text region as the auxiliary target.
_base_ = [
    'mmocr::textdet/fcenet/fcenet_resnet50-dcnv2_fpn_1500e_ctw1500.py',
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
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1500)]
train_dataloader = dict(batch_size=16)
auto_scale_lr = dict(base_batch_size=16)
