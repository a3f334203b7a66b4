# DBNet-R101 (DCNv2) on ICDAR2015, the baseline of TCM's slides Table 10
# (DBNet R50 / R101 / R152 against TCM-DBNet R50): MMOCR's DBNet-R50-DCNv2
# ICDAR2015 config with a ResNet-101 trunk, batch 8 as the authors'
# (dbnet_r101dcnv2_fpnc_1200e_icdar2015.py); SGD 0.007, 1200 epochs. Like the
# authors it inherits `load_from` = the R50 SynthText DBNet checkpoint: the
# keys a ResNet-101 shares with it (stem, neck, head, the first blocks of each
# stage) start from there, the rest from ImageNet.
_base_ = ['mmocr::textdet/dbnet/dbnet_resnet50-dcnv2_fpnc_1200e_icdar2015.py']

model = dict(
    backbone=dict(
        depth=101,
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet101')))

train_dataloader = dict(batch_size=8)
auto_scale_lr = dict(base_batch_size=8)
