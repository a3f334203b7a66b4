# The cross-detector row "EAST" of Table 4 for PSENet on CTW1500: the
# backbone of EAST pre-trained on SynthText (the EAST SynthText
# pre-training config in configs/textdet/east/), exported like an STKM
# backbone (the backbone.* keys of the checkpoint), then PSENet fine-tuned
# with the paper's recipe (psenet_resnet50-imagenet_fpnf_600e_ctw1500.py).
#
#   python tools/model_converters/stkm2backbone.py EAST_SYNTHTEXT_CKPT \
#       checkpoints/east_resnet50_synthtext_backbone.pth \
#       --check-config THIS_CONFIG
#   python tools/train.py THIS_CONFIG
#
# THIS_CONFIG:
#   configs/textdet/stkm/psenet_resnet50-east-synthtext_fpnf_600e_ctw1500.py
_base_ = ['psenet_resnet50-imagenet_fpnf_600e_ctw1500.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/east_resnet50_synthtext_backbone.pth')))
