# The REM on the baseline (no TSM, no DPD): Table 2, fourth row (paper:
# P 85.8, R 83.7, F 84.8).
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(
    tsm=None,
    decoder=dict(
        _delete_=True,
        type='ARMNetBilinearDecoder',
        in_channels=[256, 2048],
        channels=256))
