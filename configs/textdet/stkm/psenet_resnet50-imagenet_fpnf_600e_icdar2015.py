# PSENet ResNet-50 on ICDAR 2015 with the STKM paper's fine-tuning recipe
# (Sec. 4.2: SGD lr 1e-3, momentum 0.9, weight decay 1e-4, batch 16 on one
# GPU, 600 epochs, x0.1 after epochs 200 and 400) from ImageNet weights
# (torchvision://resnet50, pytorch style): the "PSENet*" row of Table 3 and
# the "ImageNet" row of Table 4. Everything else is MMOCR's PSENet recipe
# (pipeline, 2240 test scale, quadrilateral output). The other PSENet
# ICDAR 2015 rows inherit this file and change the starting weights only.
_base_ = ['mmocr::textdet/psenet/psenet_resnet50_fpnf_600e_icdar2015.py']
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(backbone=dict(style='pytorch'))

optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=1e-4))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=600)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[200, 400], gamma=0.1, end=600)
]
train_dataloader = dict(batch_size=16)
# batch 16 on a single GPU in the paper
auto_scale_lr = dict(base_batch_size=16)
