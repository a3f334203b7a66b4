# STKM transfer to EAST: pre-train -> export the backbone -> fine-tune.
#
#   python tools/train.py \
#       configs/pretrain/stkm/stkm_resnet50_fpn_10e_synthtext.py
#   python tools/model_converters/stkm2backbone.py \
#       work_dirs/stkm_resnet50_fpn_10e_synthtext/epoch_10.pth \
#       checkpoints/stkm_resnet50_synthtext_backbone.pth \
#       --check-config THIS_CONFIG
#   python tools/train.py THIS_CONFIG
#
# THIS_CONFIG: configs/textdet/stkm/east_resnet50-stkm_unet_600e_msra-td500.py
#
# The paper's EAST fine-tuning recipe (configs/textdet/east/east_resnet50_unet_600e_msra-td500.py) with
# the STKM-pre-trained backbone instead of ImageNet's ("EAST + STKM",
# Tables 1, 2 and 4).
_base_ = ['../east/east_resnet50_unet_600e_msra-td500.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/stkm_resnet50_synthtext_backbone.pth')))
