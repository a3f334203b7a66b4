# CRNN-RM on generated word crops: the tiny CRNN of
# _base_mask-crnn_tiny_toy.py with a random mask (each pixel 1 with
# probability 0.5, new every batch) as its second input channel.
_base_ = ['_base_mask-crnn_tiny_toy.py']

model = dict(data_preprocessor=dict(mask_source='random'))
