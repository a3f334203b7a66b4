# The "SynthText" row of Table 4 for PSENet on ICDAR 2015: the backbone of
# PSENet pre-trained on SynthText (psenet_resnet50_fpnf_10e_synthtext.py),
# read from that checkpoint (prefix 'backbone.'), then PSENet fine-tuned
# with the paper's recipe (psenet_resnet50-imagenet_fpnf_600e_icdar2015.py).
# As for the other pre-training strategies, only the backbone is
# transferred; the neck and head start afresh.
#
#   python tools/train.py \
#       configs/textdet/stkm/psenet_resnet50_fpnf_10e_synthtext.py
#   python tools/train.py \
#       configs/textdet/stkm/psenet_resnet50-synthtext_fpnf_600e_icdar2015.py
_base_ = ['psenet_resnet50-imagenet_fpnf_600e_icdar2015.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='work_dirs/psenet_resnet50_fpnf_10e_synthtext/'
            'epoch_10.pth',
            prefix='backbone.')))
