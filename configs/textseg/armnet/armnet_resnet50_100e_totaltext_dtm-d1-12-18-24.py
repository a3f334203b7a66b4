# DTM dilation rates (1, 12, 18, 24) in both directions: Table 4 (paper,
# with REM: P 86.3, R 81.6, F 83.9; the default (1, 2, 3, 6) gives F 85.4).
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(tsm=dict(dilations=(1, 12, 18, 24)))
