# DTM dilation rates (1, 6, 12, 18) in both directions: Table 4 (paper,
# with REM: P 85.6, R 82.7, F 84.1; the default (1, 2, 3, 6) gives F 85.4).
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(tsm=dict(dilations=(1, 6, 12, 18)))
