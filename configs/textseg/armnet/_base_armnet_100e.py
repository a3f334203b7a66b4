# ARM-Net's schedule (paper, Sec. 4.1): Adam, lr 1e-4, 100 epochs, 5 warm-up
# epochs, then poly decay (power 0.9) per iteration. Our choices (the paper
# gives none): warm-up from 1e-3 x lr, batch 8, 512 x 512 crops with MGNet's
# augmentations (textseg_runtime_512.py), validation every 10 epochs.
_base_ = ['../_base_/textseg_runtime_512.py']

warmup_epochs = 5
max_epochs = 100

train_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader

optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4))
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='PolyLR',
        power=0.9,
        eta_min=0.,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True),
]
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=10),
    logger=dict(type='LoggerHook', interval=50))
auto_scale_lr = dict(base_batch_size=8)
