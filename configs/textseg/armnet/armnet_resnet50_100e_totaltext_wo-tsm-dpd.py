# Neither TSM nor DPD, the baseline of Table 2, first row (paper, "a simple
# FCN": P 85.4, R 79.4, F 82.3): ResNet-50 + the bilinear top-down decoder.
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(
    tsm=None,
    decoder=dict(
        _delete_=True,
        type='ARMNetBilinearDecoder',
        in_channels=[256, 512, 1024, 2048],
        channels=256))
