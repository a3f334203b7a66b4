# MGNet (TIP 2021) Table IV(b), ASTER-PM: as aster-rm_resnet45_6e_st-mj.py,
# the mask channel being MGNet's predicted pixel-level mask of each
# 64 x 256 crop (the TotalText + IC13-WARP MGNet, frozen). The paper:
# CUTE80 83.70, SVT-P 83.90. Train the segmenter first
# (configs/textseg/mgnet/README.md).
_base_ = ['aster-rm_resnet45_6e_st-mj.py']

model = dict(
    data_preprocessor=dict(
        mask_source='predicted',
        segmenter='{{ fileDirname }}/../../../configs/textseg/mgnet/'
        'mgnet_vgg_60k_totaltext-ic13warp.py',
        seg_checkpoint='work_dirs/mgnet_vgg_60k_totaltext-ic13warp/'
        'iter_60000.pth'))
