# ASTER with the crop's ground-truth pixel mask as a fourth input channel,
# on the word crops of the bundled generated data, shrunk for the CPU: the
# STN as in MMOCR, a one-block-per-stage ResNet of 16..64 channels with
# ResNet-45's strides, 64-wide encoder and attention decoder, at most 10
# decoding steps (the toy words have at most 6 characters). Make the crops
# with their masks first (see _base_mask-crnn_tiny_toy.py).
_base_ = [
    'mmocr::textrecog/_base_/default_runtime.py',
    'mmocr::textrecog/aster/_base_aster.py',
    '../../../configs/_base_/datasets/toy_scenetext_textrecog.py',
    '_base_mask-aster_resnet45.py',
]

model = _base_.aster_mask_model
model.data_preprocessor.mask_source = 'gt'
model.backbone.update(
    stem_channels=[16],
    arch_layers=[1, 1, 1, 1, 1],
    arch_channels=[16, 32, 64, 64, 64])
model.encoder = dict(in_channels=64)
model.decoder = dict(
    in_channels=64, emb_dims=64, attn_dims=64, hidden_size=64,
    max_seq_len=10)

train_dataset = dict(
    _base_.toy_scenetext_textrecog_train,
    type='CheckedOCRDataset',
    pipeline=_base_.aster_gt_mask_train_pipeline)
test_dataset = dict(
    _base_.toy_scenetext_textrecog_test,
    type='CheckedOCRDataset',
    pipeline=_base_.aster_gt_mask_test_pipeline)
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=train_dataset)
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=test_dataset)
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
