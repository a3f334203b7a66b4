# ASTER with the crop's ground-truth pixel mask as a fourth input channel,
# on the word crops of the bundled generated data, shrunk for the CPU: the
# STN as in MMOCR, a one-block-per-stage ResNet of 16..64 channels with
# ResNet-45's strides, 64-wide encoder and attention decoder, at most 10
# decoding steps (the toy words have at most 6 characters). Make the crops
# with their masks first (see _base_mask-crnn_tiny_toy.py).
_base_ = [
    'mmocr::textrecog/aster/_base_aster.py',
    '_base_toy_word-crops.py',
    '_base_mask-aster_resnet45.py',
]

model = _base_.aster_mask_model
model.data_preprocessor.mask_source = 'gt'
model.backbone.update(
    stem_channels=[16],
    arch_layers=[1, 1, 1, 1, 1],
    arch_channels=[16, 32, 64, 64, 64])
model.encoder = dict(in_channels=64)
model.decoder = dict(
    in_channels=64, emb_dims=64, attn_dims=64, hidden_size=64,
    max_seq_len=10)

train_dataloader = dict(
    dataset=dict(pipeline=_base_.aster_gt_mask_train_pipeline))
val_dataloader = dict(
    dataset=dict(pipeline=_base_.aster_gt_mask_test_pipeline))
test_dataloader = val_dataloader
