# PSENet pre-trained on SynthText (word polygons), the starting point of
# Table 4's "SynthText" row for PSENet
# (psenet_resnet50-synthtext_fpnf_600e_{icdar2015,ctw1500}.py) and, through
# its backbone, of the cross-detector row "PSENet" for EAST.
# The paper does not give this recipe: we keep the fine-tuning one
# (psenet_resnet50-imagenet_fpnf_600e_icdar2015.py: ImageNet start,
# pytorch-style ResNet-50, SGD lr 1e-3, momentum 0.9, weight decay 1e-4,
# batch 16, MMOCR's PSENet pipeline with quadrilateral output) for 10
# epochs at a constant learning rate: 10 epochs is where the paper's Fig. 6
# shows SynthText pre-training levelling off. Validated on ICDAR 2015 test.
#
# Data: data/synthtext/textdet_train.json, MMOCR's detection JSON (MMOCR's
# dataset preparer, run in an MMOCR checkout:
#   python tools/dataset_converters/prepare_dataset.py synthtext \
#       --task textdet).
# The fine-tuning configs read the backbone.* weights of
# work_dirs/psenet_resnet50_fpnf_10e_synthtext/epoch_10.pth.
_base_ = [
    'psenet_resnet50-imagenet_fpnf_600e_icdar2015.py',
    'mmocr::textdet/_base_/datasets/synthtext.py',
]

synthtext_textdet_train = _base_.synthtext_textdet_train
synthtext_textdet_train.pipeline = _base_.train_pipeline
train_dataloader = dict(
    dataset=dict(_delete_=True, **synthtext_textdet_train))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10, val_interval=1)
param_scheduler = [dict(type='ConstantLR', factor=1.0)]
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1))
