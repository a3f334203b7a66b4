# DBNet-R152 (DCNv2) on ICDAR2015, the baseline of TCM's slides Table 10:
# the R101 config with a ResNet-152 trunk (torchvision ImageNet weights; the
# authors' dbnet_r152dcnv2_fpnc_1200e_icdar2015.py). open_clip has no CLIP
# ResNet-152 (its CLIP ResNets are RN50, RN101, RN50x4, RN50x16, RN50x64),
# so this row has no CLIP-trunk counterpart.
_base_ = ['dbnet_resnet101-dcnv2_fpnc_1200e_icdar2015.py']

model = dict(
    backbone=dict(
        depth=152,
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet152')))
