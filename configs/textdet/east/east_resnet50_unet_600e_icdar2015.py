# EAST, ResNet-50 (ImageNet) on ICDAR 2015: 512 x 512 training inputs,
# batch 32, Adam 1e-4, 600 epochs, x0.1 at 200 and 400 (STKM paper,
# Sec. 4.2, the "EAST*" / "ImageNet" rows of Tables 2 and 4). Test at the
# images' own 1280 x 720.
_base_ = [
    '_base_east_resnet50_unet.py',
    '_base_schedule_adam_1e-4.py',
    'mmocr::textdet/_base_/datasets/icdar2015.py',
    'mmocr::textdet/_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

icdar2015_textdet_train = _base_.icdar2015_textdet_train
icdar2015_textdet_train.pipeline = _base_.train_pipeline
icdar2015_textdet_test = _base_.icdar2015_textdet_test
icdar2015_textdet_test.pipeline = _base_.test_pipeline

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=icdar2015_textdet_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=icdar2015_textdet_test)
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=20))
auto_scale_lr = dict(base_batch_size=32)
