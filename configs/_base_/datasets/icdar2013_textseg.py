# ICDAR-2013 (229 train / 233 test images, pixel-level GT) for pixel-level
# text segmentation, as written by
# tools/dataset_converters/textseg/icdar2013_converter.py (see the README's
# "Pixel-level text segmentation" section) into
# data/icdar2013/textseg_{train,test}.json.
icdar2013_textseg_data_root = 'data/icdar2013'

icdar2013_textseg_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2013_textseg_data_root,
    ann_file='textseg_train.json',
    filter_cfg=dict(filter_empty_gt=False, min_size=32),
    pipeline=None)

icdar2013_textseg_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2013_textseg_data_root,
    ann_file='textseg_test.json',
    test_mode=True,
    pipeline=None)
