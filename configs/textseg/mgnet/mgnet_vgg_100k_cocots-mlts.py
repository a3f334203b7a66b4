# MGNet training, first part of stage 1 (paper, Sec. IV-A): the loop between
# the decoders disconnected, SoftIoU only, Adam 1e-4, on the polygon-level
# masks of COCO-TS + MLT-S at 512 x 512. The paper trains "24 hours" on a
# GTX 1080Ti; 100k iterations of batch 8 is our assumption. Its checkpoint
# is the load_from of mgnet_vgg_60k_totaltext-ic13warp.py.
_base_ = [
    '_base_mgnet_vgg.py',
    '../_base_/textseg_runtime_512.py',
    '../../_base_/datasets/coco_ts_textseg.py',
    '../../_base_/datasets/mlt_s_textseg.py',
    '../../_base_/datasets/totaltext_textseg.py',
]

coco_ts_textseg_train = _base_.coco_ts_textseg_train
coco_ts_textseg_train.pipeline = _base_.train_pipeline
mlt_s_textseg_train = _base_.mlt_s_textseg_train
mlt_s_textseg_train.pipeline = _base_.train_pipeline
totaltext_textseg_test = _base_.totaltext_textseg_test
totaltext_textseg_test.pipeline = _base_.test_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[coco_ts_textseg_train, mlt_s_textseg_train]))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=totaltext_textseg_test)
test_dataloader = val_dataloader

optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=100000,
                 val_interval=10000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=10000, by_epoch=False),
    logger=dict(type='LoggerHook', interval=50))
log_processor = dict(by_epoch=False)
