# STKM pre-training as in the paper: SynthText word lists (no boxes),
# rotation in [-20, 20] degrees, NO random crop (the words must stay in the
# image), resize to 512x512, Adam lr 1e-4 (betas 0.5/0.999 from the code),
# 10 epochs, batch 32 (16 per GPU x 2 GPUs).
#
# Data: the annotation JSON is written by
#   python tools/dataset_converters/synthtext_words.py \
#       data/synthtext/gt.mat data/synthtext/textseq_train.json
# The backbone for transfer is then exported from the checkpoint
# (backbone.* keys).
_base_ = [
    'mmocr::textdet/_base_/default_runtime.py',
    '_base_stkm_resnet50_fpn.py',
    '_base_stkm_steps.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

img_scale = (512, 512)
dictionary = _base_.dictionary
otsg_steps = [dict(type='GenerateOTSGSequence', dictionary=dictionary)]
train_pipeline = _base_.load_steps + [
    dict(type='RandomRotate', max_angle=20),
    dict(type='Resize', scale=img_scale, keep_ratio=False),
] + otsg_steps + _base_.pack_steps
test_pipeline = _base_.load_steps + [
    dict(type='Resize', scale=img_scale, keep_ratio=False),
] + otsg_steps + _base_.pack_steps

synthtext_data_root = 'data/synthtext'
synthtext_textseq_train = dict(
    type='OCRDataset',
    data_root=synthtext_data_root,
    ann_file='textseq_train.json',
    pipeline=train_pipeline)
# SynthText has no held-out split: by default the last images' word lists
# (write a second JSON with the converter's --limit / your own split).
synthtext_textseq_val = dict(
    type='OCRDataset',
    data_root=synthtext_data_root,
    ann_file='textseq_val.json',
    test_mode=True,
    pipeline=test_pipeline)

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=synthtext_textseq_train)
val_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=synthtext_textseq_val)
test_dataloader = val_dataloader

# Word-set F1 (textseq/*) and, comparable with the multi-label ablation
# (stkm-multilabel_*), character-set F1 (charset/*).
val_evaluator = [
    dict(type='TextSequenceMetric'),
    dict(type='CharSetMetric')
]
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999)))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='ConstantLR', factor=1.0)]

custom_hooks = [dict(type='OTSGStatsHook', interval=500)]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=100),
    checkpoint=dict(type='CheckpointHook', interval=1))
# 16 images per GPU x 2 GPUs in the paper.
auto_scale_lr = dict(base_batch_size=32)
