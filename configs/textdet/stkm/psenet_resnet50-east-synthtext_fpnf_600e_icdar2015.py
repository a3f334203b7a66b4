# The cross-detector row "EAST" of Table 4 for PSENet on ICDAR 2015: the
# backbone of EAST pre-trained on SynthText
# (configs/textdet/east/east_resnet50_unet_10e_synthtext.py), read from
# that checkpoint (prefix 'backbone.'), then PSENet fine-tuned with the
# paper's recipe (psenet_resnet50-imagenet_fpnf_600e_icdar2015.py).
#
#   python tools/train.py \
#       configs/textdet/east/east_resnet50_unet_10e_synthtext.py
#   python tools/train.py \
#       configs/textdet/stkm/psenet_resnet50-east-synthtext_fpnf_600e_icdar2015.py
_base_ = ['psenet_resnet50-imagenet_fpnf_600e_icdar2015.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='work_dirs/east_resnet50_unet_10e_synthtext/'
            'epoch_10.pth',
            prefix='backbone.')))
