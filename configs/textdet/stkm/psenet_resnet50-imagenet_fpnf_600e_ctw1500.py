# PSENet ResNet-50 on CTW1500 with the STKM paper's fine-tuning recipe
# (Sec. 4.2: SGD lr 1e-3, momentum 0.9, weight decay 1e-4, batch 16 on one
# GPU, 600 epochs, x0.1 after epochs 200 and 400) from ImageNet weights
# (torchvision://resnet50): the "PSENet*" row of Table 3 and the "ImageNet"
# row of Table 4. Everything else is MMOCR's PSENet CTW1500 recipe
# (pipeline, 1280 test scale, polygon output) except the ResNet style:
# 'pytorch' (stride in the 3x3 conv), the style of torchvision's and of
# STKM's pre-trained weights, where MMOCR uses 'caffe' (stride in the 1x1
# conv). The other PSENet CTW1500 rows inherit this file and change the
# starting weights only.
_base_ = ['mmocr::textdet/psenet/psenet_resnet50_fpnf_600e_ctw1500.py']
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
