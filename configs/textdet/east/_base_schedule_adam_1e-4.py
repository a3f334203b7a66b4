# The paper's EAST fine-tuning schedule (STKM Sec. 4.2): Adam, learning
# rate 1e-4, x0.1 every third of the run. The dataset configs set the
# number of epochs and the steps.
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=600, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='MultiStepLR', milestones=[200, 400], gamma=0.1, end=600)
]
