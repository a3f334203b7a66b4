# The "SynthText" row of Table 4 for PSENet on ICDAR 2015: PSENet pre-trained
# on SynthText (psenet_resnet50_fpnf_10e_synthtext.py), then fine-tuned
# with the paper's recipe (psenet_resnet50-imagenet_fpnf_600e_icdar2015.py).
# The whole pre-trained detector is loaded (load_from, as MMOCR's
# SynthText-pre-trained DBNet configs do); the paper does not say whether
# it kept the neck and head.
#
#   python tools/train.py \
#       configs/textdet/stkm/psenet_resnet50_fpnf_10e_synthtext.py
#   cp work_dirs/psenet_resnet50_fpnf_10e_synthtext/epoch_10.pth \
#       checkpoints/psenet_resnet50_fpnf_10e_synthtext.pth
#   python tools/train.py \
#       configs/textdet/stkm/psenet_resnet50-synthtext_fpnf_600e_icdar2015.py
_base_ = ['psenet_resnet50-imagenet_fpnf_600e_icdar2015.py']

# every weight comes from load_from: nothing to download
model = dict(backbone=dict(init_cfg=None))
load_from = 'checkpoints/psenet_resnet50_fpnf_10e_synthtext.pth'
