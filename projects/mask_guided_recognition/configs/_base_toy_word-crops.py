# Loaders, metric and schedule of the toy configs: the word crops (with
# their pixel masks) of the bundled generated data, 20 epochs of Adam from
# random initialisation. A config sets the pipelines:
#   train_dataloader = dict(dataset=dict(pipeline=...)), the same for val.
_base_ = [
    'mmocr::textrecog/_base_/default_runtime.py',
    '../../../configs/_base_/datasets/toy_scenetext_textrecog.py',
]

# CheckedOCRDataset joins pixel_mask_path with data_root.
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(_base_.toy_scenetext_textrecog_train,
                 type='CheckedOCRDataset'))
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_base_.toy_scenetext_textrecog_test,
                 type='CheckedOCRDataset'))
test_dataloader = val_dataloader
val_evaluator = dict(dataset_prefixes=['toy'])
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3),
    clip_grad=dict(max_norm=20))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='ConstantLR', factor=1.0)]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=25),
    checkpoint=dict(type='CheckpointHook', interval=20))
randomness = dict(seed=0)
auto_scale_lr = dict(base_batch_size=16)
