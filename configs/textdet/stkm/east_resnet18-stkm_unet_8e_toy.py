# STKM transfer to EAST on the toy data: the toy EAST
# (configs/textdet/east/east_resnet18_unet_8e_toy.py) narrowed to the toy
# STKM's backbone (ResNet-18 at 1/4 width, base_channels 16; merging branch
# 32/16/16, 16 output channels), with the backbone initialised from the
# exported toy STKM backbone - the EAST counterpart of
# dbnet_resnet18-stkm_fpnc_8e_toy.py:
#
#   python tools/train.py configs/pretrain/stkm/stkm_resnet18_fpn_toy.py
#   python tools/model_converters/stkm2backbone.py STKM_R18_CKPT \
#       work_dirs/stkm_resnet18_fpn_toy/backbone.pth \
#       --check-config configs/textdet/stkm/east_resnet18-stkm_unet_8e_toy.py
#   python tools/train.py configs/textdet/stkm/east_resnet18-stkm_unet_8e_toy.py
#
# From random weights (the baseline): add
#   --cfg-options model.backbone.init_cfg=None
_base_ = ['../east/east_resnet18_unet_8e_toy.py']

model = dict(
    backbone=dict(
        base_channels=16,
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='work_dirs/stkm_resnet18_fpn_toy/backbone.pth')),
    neck=dict(
        in_channels=(16, 32, 64, 128),
        merge_channels=(32, 16, 16),
        out_channels=16),
    det_head=dict(in_channels=16))
