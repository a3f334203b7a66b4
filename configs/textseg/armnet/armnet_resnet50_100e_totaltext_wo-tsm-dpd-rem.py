# Neither TSM, DPD nor REM, the baseline of Table 2, first row (paper, "a
# simple FCN": P 85.4, R 79.4, F 82.3): ResNet-50 + the bilinear top-down
# decoder.
_base_ = ['armnet_resnet50_100e_totaltext_wo-tsm-dpd.py']

model = dict(rem=None)
