# STKM transfer on the toy demo: the stock toy DBNet (ResNet-18 + FPNC),
# with its backbone initialised from an exported STKM ResNet-18 backbone
# instead of random weights. The STKM toy demo writes
# work_dirs/stkm_resnet18_fpn_toy/backbone.pth; any STKM-R18 backbone
# exported with tools/model_converters/stkm2backbone.py works:
#
#   python tools/model_converters/stkm2backbone.py STKM_R18_CKPT \
#       work_dirs/stkm_resnet18_fpn_toy/backbone.pth \
#       --check-config \
#       configs/textdet/stkm/dbnet_resnet18-stkm_fpnc_8e_toy.py
#   python tools/train.py \
#       configs/textdet/stkm/dbnet_resnet18-stkm_fpnc_8e_toy.py
_base_ = ['../dbnet/dbnet_resnet18_fpnc_8e_toy.py']
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='work_dirs/stkm_resnet18_fpn_toy/backbone.pth')))
