# Cross-dataset TCM-DBNet (slides Tables 2-3, ST -> IC15): trained on
# SynthText only (MMOCR's 100k-iteration schedule length, the authors'
# Adam 1e-4), validated and tested on ICDAR2015. Any other pair: swap
# train_dataloader.dataset / test_dataloader.dataset for another MMOCR
# dataset config.
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    'mmocr::textdet/_base_/datasets/synthtext.py',
]

synthtext_textdet_train = dict(
    _base_.synthtext_textdet_train, pipeline=_base_.train_pipeline)
train_dataloader = dict(dataset=synthtext_textdet_train)

train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=100000,
    val_interval=10000)
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=1e-7, by_epoch=False,
         end=100000),
]
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=10000))
log_processor = dict(by_epoch=False)
