# EAST, ResNet-50 (ImageNet) on ICDAR 2017 MLT: 640 x 640 inputs, batch 22,
# Adam 1e-4, 150 epochs, x0.1 at 50 and 100 (STKM paper, Sec. 4.2; the
# "EAST*" / "ImageNet" rows of Tables 2 and 4). Data:
# configs/_base_/datasets/icdar2017_mlt.py.
_base_ = [
    '_base_east_640.py',
    '_base_schedule_adam_1e-4.py',
    '../../_base_/datasets/icdar2017_mlt.py',
    'mmocr::textdet/_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

train_cfg = dict(max_epochs=150, val_interval=10)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[50, 100], gamma=0.1, end=150)
]

icdar2017_mlt_textdet_train = _base_.icdar2017_mlt_textdet_train
icdar2017_mlt_textdet_train.pipeline = _base_.train_pipeline
icdar2017_mlt_textdet_test = _base_.icdar2017_mlt_textdet_test
icdar2017_mlt_textdet_test.pipeline = _base_.test_pipeline

train_dataloader = dict(
    batch_size=22,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=icdar2017_mlt_textdet_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=icdar2017_mlt_textdet_test)
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=10))
auto_scale_lr = dict(base_batch_size=22)
