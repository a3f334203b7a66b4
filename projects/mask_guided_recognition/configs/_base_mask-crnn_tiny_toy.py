# A CRNN small enough for CPU minutes (a 5-stage, one-block-per-stage ResNet
# of 16..64 channels with the strides of ASTER's ResNet-45, so a 32 x 100
# crop gives a 1 x 25 feature sequence; MMOCR's CRNNDecoder + CTC)
# on the word crops of the bundled generated data, from random
# initialisation. Its first convolution (the backbone's stem) reads
# grey + mask. Make the crops with their masks first:
#   python tools/dataset_converters/generate_toy_data.py data/toy_scenetext
#   python tools/dataset_converters/crop_words.py data/toy_scenetext \
#       textdet_train.json textrecog_train.json --with-masks
#   python tools/dataset_converters/crop_words.py data/toy_scenetext \
#       textdet_test.json textrecog_test.json --with-masks
_base_ = [
    'mmocr::textrecog/crnn/_base_crnn_mini-vgg.py',
    '_base_toy_word-crops.py',
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
# A 1x1-convolution classifier instead of the BiLSTM (CRNNDecoder's
# rnn_flag=False): it learns in the few hundred CPU steps these configs get.
model.decoder = dict(in_channels=64, rnn_flag=False)

# Tested at the training size too (MMOCR's CRNN tests at height 32 with the
# crop's aspect ratio): on a few hundred crops the network does not learn
# to read other widths than the 100 pixels it was trained on.
train_dataloader = dict(
    dataset=dict(pipeline=_base_.crnn_mask_train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.crnn_mask_train_pipeline))
test_dataloader = val_dataloader
train_dataloader.update(batch_size=8)
optim_wrapper = dict(optimizer=dict(lr=3e-3))
auto_scale_lr = dict(base_batch_size=8)
