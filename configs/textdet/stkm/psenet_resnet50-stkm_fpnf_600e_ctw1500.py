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
#   configs/textdet/stkm/psenet_resnet50-stkm_fpnf_600e_ctw1500.py
#
# MMOCR's PSENet ResNet-50 recipe on CTW1500, unchanged except for the
# backbone weights: the STKM-pre-trained backbone instead of ImageNet's
# torchvision://resnet50. Set the checkpoint path below if you exported it
# elsewhere.
# The STKM backbone is pre-trained with style='pytorch'; MMOCR's PSENet
# backbone style ('caffe' here, used with the also pytorch-style torchvision
# weights) is kept: the weights have the same shapes in both styles.
_base_ = ['mmocr::textdet/psenet/psenet_resnet50_fpnf_600e_ctw1500.py']
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/stkm_resnet50_synthtext_backbone.pth')))
