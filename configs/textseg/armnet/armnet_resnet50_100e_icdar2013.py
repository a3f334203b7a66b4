# ARM-Net on ICDAR-2013 (229 train / 233 test). Paper: P 88.9, R 81.6, F 85.1.
_base_ = [
    '_base_armnet_resnet50.py',
    '_base_armnet_100e.py',
    '../../_base_/datasets/icdar2013_textseg.py',
]

icdar2013_textseg_train = _base_.icdar2013_textseg_train
icdar2013_textseg_train.pipeline = _base_.train_pipeline
icdar2013_textseg_test = _base_.icdar2013_textseg_test
icdar2013_textseg_test.pipeline = _base_.test_pipeline

train_dataloader = dict(dataset=icdar2013_textseg_train)
val_dataloader = dict(dataset=icdar2013_textseg_test)
test_dataloader = val_dataloader
