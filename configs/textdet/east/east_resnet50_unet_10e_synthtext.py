# EAST, ResNet-50 (ImageNet), pre-trained on SynthText with its word boxes:
# the "SynthText" pre-training strategy of STKM paper Table 4 (and the
# EAST -> PSENet transfer). The paper's EAST recipe (512 x 512, batch 32,
# Adam 1e-4) for 10 epochs at a constant learning rate (the paper's
# pre-training length, Fig. 6); validated on ICDAR 2015. Fine-tuning reads
# the backbone of work_dirs/east_resnet50_unet_10e_synthtext/epoch_10.pth.
_base_ = [
    'east_resnet50_unet_600e_icdar2015.py',
    'mmocr::textdet/_base_/datasets/synthtext.py',
]

synthtext_textdet_train = dict(
    _base_.synthtext_textdet_train, pipeline=_base_.train_pipeline)
train_dataloader = dict(dataset=synthtext_textdet_train)

train_cfg = dict(max_epochs=10, val_interval=1)
param_scheduler = [dict(type='ConstantLR', factor=1.0)]
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1))
