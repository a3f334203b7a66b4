# ICDAR-2013-WARP (tools/dataset_converters/textseg/make_icdar2013_warp.py)
# for pixel-level text segmentation, written into
# data/icdar2013_warp/textseg_{train,test}.json (see the README's
# "Pixel-level text segmentation" section).
icdar2013_warp_textseg_data_root = 'data/icdar2013_warp'

icdar2013_warp_textseg_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2013_warp_textseg_data_root,
    ann_file='textseg_train.json',
    filter_cfg=dict(filter_empty_gt=False, min_size=32),
    pipeline=None)

icdar2013_warp_textseg_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2013_warp_textseg_data_root,
    ann_file='textseg_test.json',
    test_mode=True,
    pipeline=None)
