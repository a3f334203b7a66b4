# ARM-Net on TotalText (1255 train / 300 test). Paper: P 87.1, R 83.8,
# F 85.4 (Table 2, last row). The paper does not say how P and R are aggregated; its
# Table 1 compares with TexRNet, whose convention is textseg/imagewise_F.
_base_ = [
    '_base_armnet_resnet50.py',
    '_base_armnet_100e.py',
    '../../_base_/datasets/totaltext_textseg.py',
]

totaltext_textseg_train = _base_.totaltext_textseg_train
totaltext_textseg_train.pipeline = _base_.train_pipeline
totaltext_textseg_test = _base_.totaltext_textseg_test
totaltext_textseg_test.pipeline = _base_.test_pipeline

train_dataloader = dict(dataset=totaltext_textseg_train)
val_dataloader = dict(dataset=totaltext_textseg_test)
test_dataloader = val_dataloader
