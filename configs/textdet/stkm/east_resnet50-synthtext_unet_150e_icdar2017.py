# STKM paper Table 4, "SynthText" row of EAST: the backbone of EAST
# pre-trained on SynthText with box annotations, fine-tuned with the paper's
# EAST recipe (configs/textdet/east/east_resnet50_unet_150e_icdar2017.py).
#
#   python tools/train.py configs/textdet/east/east_resnet50_unet_10e_synthtext.py
#   python tools/train.py configs/textdet/stkm/east_resnet50-synthtext_unet_150e_icdar2017.py
#
# The backbone is read from the detector checkpoint (prefix 'backbone.');
# the neck and head start afresh, as for the other pre-training strategies.
_base_ = ['../east/east_resnet50_unet_150e_icdar2017.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='work_dirs/east_resnet50_unet_10e_synthtext/epoch_10.pth',
            prefix='backbone.')))
