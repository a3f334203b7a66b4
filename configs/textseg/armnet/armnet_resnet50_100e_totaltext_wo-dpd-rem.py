# TSM only (no DPD, no REM): Table 2, second row (paper: P 85.7, R 83.4,
# F 84.6). The DPD up-sampler is replaced by a 1x1 conv and bilinear
# interpolation; the low-level fusion of each stage stays.
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(
    rem=None,
    decoder=dict(
        _delete_=True,
        type='ARMNetBilinearDecoder',
        in_channels=[256, 2304],
        channels=256))
