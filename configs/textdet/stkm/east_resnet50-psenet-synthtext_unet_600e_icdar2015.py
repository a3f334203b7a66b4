# STKM paper Table 4, "PSENet" row of EAST: the backbone of PSENet
# (pytorch-style ResNet-50) pre-trained on SynthText, transferred to EAST
# and fine-tuned with the paper's EAST recipe
# (configs/textdet/east/east_resnet50_unet_600e_icdar2015.py).
#
#   python tools/train.py configs/textdet/stkm/psenet_resnet50_fpnf_10e_synthtext.py
#   python tools/train.py configs/textdet/stkm/east_resnet50-psenet-synthtext_unet_600e_icdar2015.py
#
# The backbone is read from the PSENet checkpoint (prefix 'backbone.').
_base_ = ['../east/east_resnet50_unet_600e_icdar2015.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='work_dirs/psenet_resnet50_fpnf_10e_synthtext/epoch_10.pth',
            prefix='backbone.')))
