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
#   configs/textdet/stkm/psenet_resnet50-stkm_fpnf_600e_icdar2015.py
#
# MMOCR's PSENet ResNet-50 recipe on ICDAR 2015, unchanged except for the
# backbone weights: the STKM-pre-trained backbone instead of ImageNet's
# torchvision://resnet50. Set the checkpoint path below if you exported it
# elsewhere. (The paper fine-tunes PSENet with SGD lr 1e-3, momentum 0.9,
# weight decay 1e-4, batch 16, x0.1 at epochs 200 and 400; MMOCR's schedule
# is kept here.)
_base_ = ['mmocr::textdet/psenet/psenet_resnet50_fpnf_600e_icdar2015.py']
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/stkm_resnet50_synthtext_backbone.pth')))
