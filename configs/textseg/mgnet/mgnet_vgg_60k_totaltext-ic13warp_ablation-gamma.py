# Table IV (a) Ours-gamma: stage 2 without the CRF loss.
_base_ = ['mgnet_vgg_60k_totaltext-ic13warp.py']

model = dict(crf_loss=None)
