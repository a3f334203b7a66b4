# A CRNN small enough for CPU minutes (a 5-stage, one-block-per-stage ResNet
# of 16..64 channels with the strides of ASTER's ResNet-45, so a 32 x 100
# crop gives a 1 x 25 feature sequence; MMOCR's CRNNDecoder: BiLSTM + CTC)
# on the word crops of the bundled generated data, from random
# initialisation. Its first convolution (the backbone's stem) reads
# grey + mask. Make the crops with their masks first:
#   python tools/dataset_converters/generate_toy_data.py data/toy_scenetext
#   python tools/dataset_converters/crop_words.py data/toy_scenetext \
#       textdet_train.json textrecog_train.json --with-masks
#   python tools/dataset_converters/crop_words.py data/toy_scenetext \
#       textdet_test.json textrecog_test.json --with-masks
_base_ = [
    'mmocr::textrecog/_base_/default_runtime.py',
    'mmocr::textrecog/crnn/_base_crnn_mini-vgg.py',
    '../../../configs/_base_/datasets/toy_scenetext_textrecog.py',
    '_base_mask-crnn_mini-vgg.py',
]

model = _base_.crnn_mask_model
model.input_convs = ['backbone.stem_layers.0.conv']
model.backbone = dict(
    _delete_=True,
    type='ResNet',
    in_channels=2,
    stem_channels=[16],
    block_cfgs=dict(type='BasicBlock', use_conv1x1='True'),
    arch_layers=[1, 1, 1, 1, 1],
    arch_channels=[16, 32, 64, 64, 64],
    strides=[(2, 2), (2, 2), (2, 1), (2, 1), (2, 1)])
model.decoder = dict(in_channels=64)

# CheckedOCRDataset joins pixel_mask_path with data_root.
train_dataset = dict(
    _base_.toy_scenetext_textrecog_train,
    type='CheckedOCRDataset',
    pipeline=_base_.crnn_mask_train_pipeline)
test_dataset = dict(
    _base_.toy_scenetext_textrecog_test,
    type='CheckedOCRDataset',
    pipeline=_base_.crnn_mask_test_pipeline)
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=train_dataset)
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=test_dataset)
test_dataloader = val_dataloader
val_evaluator = dict(dataset_prefixes=['toy'])
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=2e-3),
    clip_grad=dict(max_norm=20))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='ConstantLR', factor=1.0)]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=25),
    checkpoint=dict(type='CheckpointHook', interval=20))
randomness = dict(seed=0)
auto_scale_lr = dict(base_batch_size=16)
