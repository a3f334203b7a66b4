# TSM + DPD without the REM: Table 2, third row (paper: P 85.9, R 84.2,
# F 85.0). Needs no recognizer.
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(rem=None)
