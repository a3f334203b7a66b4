# TSM with the DTM only: Table 3, third row (paper, with REM: P 87.2,
# R 82.3, F 84.7).
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(
    tsm=dict(use_gtm=False), decoder=dict(in_channels=[256, 2048]))
