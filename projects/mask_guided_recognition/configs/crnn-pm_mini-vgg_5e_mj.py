# MGNet (TIP 2021) Table IV(b), CRNN-PM: as crnn-rm_mini-vgg_5e_mj.py, the
# mask channel being MGNet's predicted pixel-level mask of each crop (the
# TotalText + IC13-WARP MGNet, frozen, run on the colour crop scaled x2 to
# 64 pixels high). The paper: IC03 91.35, IC13 87.68, SVT 82.84.
# Train the segmenter first (configs/textseg/mgnet/README.md).
_base_ = ['crnn-rm_mini-vgg_5e_mj.py']

model = dict(
    data_preprocessor=dict(
        mask_source='predicted',
        segmenter='{{ fileDirname }}/../../../configs/textseg/mgnet/'
        'mgnet_vgg_60k_totaltext-ic13warp.py',
        seg_checkpoint='work_dirs/mgnet_vgg_60k_totaltext-ic13warp/'
        'iter_60000.pth',
        seg_scale=2.0))
