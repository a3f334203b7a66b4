# The tiny CRNN of _base_mask-crnn_tiny_toy.py WITHOUT a mask channel (grey
# input only, the same preprocessing otherwise): the "no mask" row.
_base_ = ['_base_mask-crnn_tiny_toy.py']

model = dict(
    backbone=dict(in_channels=1),
    data_preprocessor=dict(mask_source='none'))
