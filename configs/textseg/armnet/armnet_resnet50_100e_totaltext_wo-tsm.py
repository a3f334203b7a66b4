# Without the TSM (GTM and DTM both off), DPD kept: Table 3, first row
# (paper, with REM: P 85.9, R 80.1, F 82.9). The decoder reads C5 itself.
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(tsm=None, decoder=dict(in_channels=[256, 2048]))
