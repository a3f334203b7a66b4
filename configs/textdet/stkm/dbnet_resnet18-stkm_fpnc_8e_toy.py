# STKM transfer on the toy demo: the toy DBNet (ResNet-18 + FPNC) narrowed to
# the toy STKM's backbone (ResNet-18 at 1/4 width, base_channels 16), with
# the backbone initialised from an exported STKM backbone instead of random
# weights. The demo (tools/demo.py) pre-trains
# configs/pretrain/stkm/stkm_resnet18_fpn_toy.py, exports and fine-tunes:
#
#   python tools/model_converters/stkm2backbone.py STKM_R18_CKPT \
#       work_dirs/stkm_resnet18_fpn_toy/backbone.pth \
#       --check-config \
#       configs/textdet/stkm/dbnet_resnet18-stkm_fpnc_8e_toy.py
#   python tools/train.py \
#       configs/textdet/stkm/dbnet_resnet18-stkm_fpnc_8e_toy.py
#
# The same architecture from random weights (the baseline) is
#   python tools/train.py configs/textdet/stkm/dbnet_resnet18-stkm_fpnc_8e_toy.py \
#       --cfg-options model.backbone.init_cfg=None
_base_ = ['../dbnet/dbnet_resnet18_fpnc_8e_toy.py']
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        base_channels=16,
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='work_dirs/stkm_resnet18_fpn_toy/backbone.pth')),
    neck=dict(in_channels=[16, 32, 64, 128]))
