# DAN on word crops of the bundled generated scene-text data, from random
# initialisation, sized for about a minute on 2 CPU cores (when other
# processes keep the cores busy, OMP_NUM_THREADS=1 is often faster).
# Make the crops first (tools/dataset_converters/crop_words.py, see
# configs/_base_/datasets/toy_scenetext_textrecog.py).
#
# Smaller than the paper's model, for the CPU budget: ResNet-45's five
# stages and strides with one block each and 8..128 channels (F: 128 x 8 x
# 32), a 32-channel CAM and a 64/128-wide decoder. maxT is 10 instead of 25:
# the toy words have at most 6 characters (+ the end token), so the other
# 15 steps would cost time without ever being supervised.
_base_ = [
    'mmocr::textrecog/_base_/default_runtime.py',
    '../../_base_/datasets/toy_scenetext_textrecog.py',
    '_base_dan_resnet45_cam.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

max_seq_len = 10
model = dict(
    backbone=dict(
        stem_channels=8, base_channels=8, arch_settings=[1, 1, 1, 1, 1]),
    encoder=dict(
        in_channels=[8, 32, 128], feat_channels=32, max_seq_len=max_seq_len),
    decoder=dict(
        in_channels=128,
        lstm_channels=64,
        hidden_channels=128,
        embed_dims=64,
        max_seq_len=max_seq_len))

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3),
    clip_grad=dict(max_norm=20))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='ConstantLR', factor=1.0)]

# Batch 8: on this little data more steps help more than bigger batches.
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        _base_.toy_scenetext_textrecog_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _base_.toy_scenetext_textrecog_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(dataset_prefixes=['toy'])
test_evaluator = val_evaluator

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=25),
    checkpoint=dict(type='CheckpointHook', interval=20))
randomness = dict(seed=0)
auto_scale_lr = dict(base_batch_size=8)
