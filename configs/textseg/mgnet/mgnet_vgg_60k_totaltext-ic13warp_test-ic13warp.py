# The same training; evaluation on ICDAR-2013-WARP (paper: F1 74.5).
_base_ = ['mgnet_vgg_60k_totaltext-ic13warp.py']

val_dataloader = dict(dataset=_base_.icdar2013_warp_textseg_test)
test_dataloader = val_dataloader
