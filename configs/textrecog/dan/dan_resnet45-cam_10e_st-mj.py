# DAN's scene-text setting (paper, Sec. 4.2): trained on SynthText +
# Synth90k (MJSynth), Adadelta lr 1.0 decayed x0.1 at epochs 3 and 5, 10
# epochs, batch 48, gradient clipping 20; tested on the usual benchmarks.
# The paper feeds grey crops padded to 32 x 128; here they are 3-channel and
# resized to 32 x 128 (see _base_dan_resnet45_cam.py for why).
_base_ = [
    'mmocr::textrecog/_base_/datasets/mjsynth.py',
    'mmocr::textrecog/_base_/datasets/synthtext.py',
    'mmocr::textrecog/_base_/datasets/cute80.py',
    'mmocr::textrecog/_base_/datasets/iiit5k.py',
    'mmocr::textrecog/_base_/datasets/svt.py',
    'mmocr::textrecog/_base_/datasets/svtp.py',
    'mmocr::textrecog/_base_/datasets/icdar2013.py',
    'mmocr::textrecog/_base_/datasets/icdar2015.py',
    'mmocr::textrecog/_base_/default_runtime.py',
    '_base_dan_resnet45_cam.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adadelta', lr=1.0),
    clip_grad=dict(max_norm=20))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='MultiStepLR', milestones=[3, 5], gamma=0.1, end=10),
]

# Each dataset carries its pipeline (the ConcatDataset has none).
train_list = [
    dict(dataset, pipeline=_base_.train_pipeline) for dataset in
    [_base_.mjsynth_textrecog_train, _base_.synthtext_textrecog_train]
]
test_list = [
    dict(dataset, pipeline=_base_.test_pipeline) for dataset in [
        _base_.cute80_textrecog_test, _base_.iiit5k_textrecog_test,
        _base_.svt_textrecog_test, _base_.svtp_textrecog_test,
        _base_.icdar2013_textrecog_test, _base_.icdar2015_textrecog_test
    ]
]

train_dataloader = dict(
    batch_size=48,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='ConcatDataset', datasets=train_list))
test_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ConcatDataset', datasets=test_list))
val_dataloader = test_dataloader

val_evaluator = dict(
    dataset_prefixes=['CUTE80', 'IIIT5K', 'SVT', 'SVTP', 'IC13', 'IC15'])
test_evaluator = val_evaluator

auto_scale_lr = dict(base_batch_size=48)
