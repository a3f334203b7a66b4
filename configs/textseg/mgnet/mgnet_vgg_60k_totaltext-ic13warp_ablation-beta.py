# Table IV (a) Ours-beta: stage 2 without the subset and CRF losses.
_base_ = ['mgnet_vgg_60k_totaltext-ic13warp.py']

model = dict(subset_loss=None, crf_loss=None)
