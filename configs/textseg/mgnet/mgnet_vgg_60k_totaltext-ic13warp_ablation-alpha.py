# Table IV (a) Ours-alpha: no stage 2. The decoders stay disconnected and
# only the SoftIoU loss trains.
_base_ = ['mgnet_vgg_60k_totaltext-ic13warp.py']

custom_hooks = []
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
