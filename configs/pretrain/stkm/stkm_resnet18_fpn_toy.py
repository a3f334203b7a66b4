# A reduced STKM on the bundled generated data (data/toy_scenetext, a closed
# vocabulary of 26 words, 1-3 words per image), sized for a few CPU
# minutes: ResNet-18 at 1/4 width, a 64-channel FPN, fusion to 128 channels
# at stride 8 (16x16 tokens for 128x128 inputs), a 2-layer decoder (d 128),
# sequences of at most 32 tokens. From random initialisation.
_base_ = [
    'mmocr::textdet/_base_/default_runtime.py',
    '../../_base_/datasets/toy_scenetext.py',
    '../../_base_/schedules/schedule_adam_toy.py',
    '_base_stkm_resnet50_fpn.py',
    '_base_stkm_steps.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

img_scale = (128, 128)
dictionary = dict(type='OTSGDictionary', max_len=32, unknown='unk')

# The paper model (_base_stkm_resnet50_fpn.py), narrowed.
model = dict(
    backbone=dict(depth=18, base_channels=16, init_cfg=None),
    neck=dict(in_channels=[16, 32, 64, 128], out_channels=64),
    fusion=dict(in_channels=64, out_channels=128, kernel_size=3),
    position=dict(channels=128),
    decoder=dict(
        d_model=128, num_heads=4, ffn_channels=256, num_layers=2,
        max_seq_len=32),
    dictionary=dictionary,
    max_len=32,
    max_decode_steps=32)

otsg_steps = [dict(type='GenerateOTSGSequence', dictionary=dictionary)]
train_pipeline = _base_.load_steps + [
    dict(type='RandomRotate', max_angle=10),
    dict(type='Resize', scale=img_scale, keep_ratio=False),
] + otsg_steps + _base_.pack_steps
test_pipeline = _base_.load_steps + [
    dict(type='Resize', scale=img_scale, keep_ratio=False),
] + otsg_steps + _base_.pack_steps

toy_scenetext_textseq_train = dict(
    _base_.toy_scenetext_textdet_train, pipeline=train_pipeline)
toy_scenetext_textseq_test = dict(
    _base_.toy_scenetext_textdet_test, pipeline=test_pipeline)

train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=toy_scenetext_textseq_train)
val_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=toy_scenetext_textseq_test)
test_dataloader = val_dataloader

# Word-set F1 (textseq/*) and, comparable with the multi-label ablation
# (stkm-multilabel_*), character-set F1 (charset/*).
val_evaluator = [
    dict(type='TextSequenceMetric'),
    dict(type='CharSetMetric')
]
test_evaluator = val_evaluator

train_cfg = dict(max_epochs=40, val_interval=20)
custom_hooks = [dict(type='OTSGStatsHook', interval=50)]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=6),
    checkpoint=dict(type='CheckpointHook', interval=40))
randomness = dict(seed=0)
auto_scale_lr = dict(base_batch_size=16)
