# ARM-Net on TextSeg (2646 train / 340 val / 1038 test),
# validated on the val split, tested on the test split. Paper: P 92.8, R 92.6, F 92.7.
_base_ = [
    '_base_armnet_resnet50.py',
    '_base_armnet_100e.py',
    '../../_base_/datasets/textseg_seg.py',
]

textseg_seg_train = _base_.textseg_seg_train
textseg_seg_train.pipeline = _base_.train_pipeline
textseg_seg_val = _base_.textseg_seg_val
textseg_seg_val.pipeline = _base_.test_pipeline
textseg_seg_test = _base_.textseg_seg_test
textseg_seg_test.pipeline = _base_.test_pipeline

train_dataloader = dict(dataset=textseg_seg_train)
val_dataloader = dict(dataset=textseg_seg_val)
test_dataloader = dict(dataset=textseg_seg_test)
