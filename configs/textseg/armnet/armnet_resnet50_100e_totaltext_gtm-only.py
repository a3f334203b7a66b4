# TSM with the GTM only: Table 3, second row (paper, with REM: P 87.0,
# R 80.5, F 83.6).
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(
    tsm=dict(use_dtm=False), decoder=dict(in_channels=[256, 256]))
