# EAST, ResNet-50 (ImageNet) on MSRA-TD500: 640 x 640 inputs, batch 22,
# Adam 1e-4, 600 epochs, x0.1 at 200 and 400 (STKM paper, Sec. 4.2; the
# "EAST*" row of Table 2). Data: configs/_base_/datasets/msra_td500.py.
_base_ = [
    '_base_east_640.py',
    '_base_schedule_adam_1e-4.py',
    '../../_base_/datasets/msra_td500.py',
    'mmocr::textdet/_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

td500_textdet_train = _base_.td500_textdet_train
td500_textdet_train.pipeline = _base_.train_pipeline
td500_textdet_test = _base_.td500_textdet_test
td500_textdet_test.pipeline = _base_.test_pipeline

train_dataloader = dict(
    batch_size=22,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=td500_textdet_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=td500_textdet_test)
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=20))
auto_scale_lr = dict(base_batch_size=22)
