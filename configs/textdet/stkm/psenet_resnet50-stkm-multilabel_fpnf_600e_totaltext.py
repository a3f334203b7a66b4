# The Table 1 ablation "without the self-attention decoder" on Total-Text:
# the backbone of STKM's character multi-label classifier instead of the
# full STKM's.
#
#   python tools/train.py \
#       configs/pretrain/stkm/stkm-multilabel_resnet50_fpn_10e_synthtext.py
#   python tools/model_converters/stkm2backbone.py \
#       work_dirs/stkm-multilabel_resnet50_fpn_10e_synthtext/epoch_10.pth \
#       checkpoints/stkm-multilabel_resnet50_synthtext_backbone.pth \
#       --check-config THIS_CONFIG
#   python tools/train.py THIS_CONFIG
#
# THIS_CONFIG:
#   configs/textdet/stkm/psenet_resnet50-stkm-multilabel_fpnf_600e_totaltext.py
#
# Otherwise psenet_resnet50-imagenet_fpnf_600e_totaltext.py (the paper's SGD
# recipe).
_base_ = ['psenet_resnet50-imagenet_fpnf_600e_totaltext.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/'
            'stkm-multilabel_resnet50_synthtext_backbone.pth')))
