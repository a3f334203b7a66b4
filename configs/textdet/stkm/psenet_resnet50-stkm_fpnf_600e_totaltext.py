# STKM transfer: pre-train -> export the backbone -> fine-tune.
#
#   python tools/train.py \
#       configs/pretrain/stkm/stkm_resnet50_fpn_10e_synthtext.py
#   python tools/model_converters/stkm2backbone.py \
#       work_dirs/stkm_resnet50_fpn_10e_synthtext/epoch_10.pth \
#       checkpoints/stkm_resnet50_synthtext_backbone.pth \
#       --check-config THIS_CONFIG
#   python tools/train.py THIS_CONFIG
#
# THIS_CONFIG:
#   configs/textdet/stkm/psenet_resnet50-stkm_fpnf_600e_totaltext.py
#
# "PSENet + STKM" on Total-Text (Tables 1 and 3):
# psenet_resnet50-imagenet_fpnf_600e_totaltext.py (the paper's SGD recipe,
# pytorch-style ResNet-50 as in STKM's pre-training) with the
# STKM-pre-trained backbone instead of ImageNet's. Set the checkpoint path
# below if you exported it elsewhere.
_base_ = ['psenet_resnet50-imagenet_fpnf_600e_totaltext.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/stkm_resnet50_synthtext_backbone.pth')))
