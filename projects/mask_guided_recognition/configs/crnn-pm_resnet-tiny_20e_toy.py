# CRNN-PM on generated word crops: the tiny CRNN of
# _base_mask-crnn_tiny_toy.py with the pixel mask predicted by the toy FCN
# text segmenter (frozen, on the colour crop) as its second input channel.
# Train the segmenter first:
#   python tools/train.py configs/textseg/fcn/fcn_resnet18_8e_toy.py
_base_ = ['_base_mask-crnn_tiny_toy.py']

model = dict(
    data_preprocessor=dict(
        mask_source='predicted',
        segmenter='{{ fileDirname }}/../../../configs/textseg/fcn/'
        'fcn_resnet18_8e_toy.py',
        seg_checkpoint='work_dirs/fcn_resnet18_8e_toy/epoch_8.pth'))
