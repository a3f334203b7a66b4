# The ablation of STKM paper Table 1 ("SD?" unchecked) on EAST: the backbone
# pre-trained by character-level multi-label classification instead of
# the self-attention decoder.
#
#   python tools/train.py \
#       configs/pretrain/stkm/stkm-multilabel_resnet50_fpn_10e_synthtext.py
#   python tools/model_converters/stkm2backbone.py \
#       work_dirs/stkm-multilabel_resnet50_fpn_10e_synthtext/epoch_10.pth \
#       checkpoints/stkm-multilabel_resnet50_synthtext_backbone.pth \
#       --check-config THIS_CONFIG
#   python tools/train.py THIS_CONFIG
#
# THIS_CONFIG: configs/textdet/stkm/east_resnet50-stkm-multilabel_unet_600e_icdar2015.py
#
# Recipe: configs/textdet/east/east_resnet50_unet_600e_icdar2015.py.
_base_ = ['../east/east_resnet50_unet_600e_icdar2015.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/stkm-multilabel_resnet50_synthtext_backbone.pth')))
