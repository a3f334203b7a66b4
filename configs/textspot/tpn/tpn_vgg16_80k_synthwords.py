# TPN spotter curriculum, stage 1 (+2), from ImageNet VGG-16 (the backbone's
# init_cfg in _base_tpn_vgg16.py): 48k synthetic images of words from
# the 90k generic lexicon, the recognition network locked for the first 30k
# iterations, then trained with the rest (lr 1e-3). The paper gives the
# locked span; the stage's total length (80k) is our assumption. Data:
# data/synthwords/textdet_train.json (MMOCR's OCRDataset JSON with
# transcripts), written by our generator's synthwords preset from a word
# list such as MJSynth's 90k lexicon.txt (seeded: the same command writes
# the same bytes):
#   python tools/dataset_converters/generate_toy_data.py data/synthwords \
#       --preset synthwords --lexicon data/mjsynth/lexicon.txt
# Validation on the ICDAR2015 test set.
_base_ = [
    '_base_tpn_vgg16.py',
    'mmocr::textdet/_base_/default_runtime.py',
    '../../_base_/datasets/icdar2015_textspotting.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

synthwords_textspotting_train = dict(
    type='CheckedOCRDataset',
    data_root='data/synthwords',
    ann_file='textdet_train.json',
    require_texts=True,
    filter_cfg=dict(filter_empty_gt=True, min_size=8),
    pipeline=_base_.train_pipeline)
icdar2015_textspotting_test = dict(
    _base_.icdar2015_textspotting_test, pipeline=_base_.test_pipeline)

# One image per iteration.
train_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=synthwords_textspotting_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=icdar2015_textspotting_test)
test_dataloader = val_dataloader
val_evaluator = dict(type='E2ESpottingMetric')
test_evaluator = val_evaluator
# Draws the words and their transcripts (tools/test.py --show-dir,
# tools/infer.py --spot --save_vis).
visualizer = dict(type='TextSpottingLocalVisualizer')

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4),
    clip_grad=dict(max_norm=10))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=80000,
                 val_interval=10000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
custom_hooks = [dict(type='TPNCurriculumHook', unlock_iter=30000)]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=10000))
log_processor = dict(by_epoch=False)
