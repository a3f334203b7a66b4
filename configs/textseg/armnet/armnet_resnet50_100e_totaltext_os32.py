# Not in the paper: ARM-Net on the undilated ResNet-50 (output stride 32),
# the TSM on C5 at 16 x 16 positions for a 512 input and three DPD stages
# (C5 -> C4 -> C3 -> C2). The counterpart of the output-stride-8 default,
# to measure what stride 8 costs (tools/analysis_tools/
# benchmark_armnet_fps.py) and brings.
_base_ = ['armnet_resnet50_100e_totaltext.py']

model = dict(
    backbone=dict(
        strides=(1, 2, 2, 2), dilations=(1, 1, 1, 1),
        out_indices=(0, 1, 2, 3)),
    decoder=dict(in_channels=[256, 512, 1024, 2304]))
