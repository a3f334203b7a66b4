# TotalText for pixel-level text segmentation, as written by
# tools/dataset_converters/textseg/ (see the README's "Pixel-level text
# segmentation" section) into data/totaltext/textseg_{train,test}.json.
totaltext_textseg_data_root = 'data/totaltext'

totaltext_textseg_train = dict(
    type='CheckedOCRDataset',
    data_root=totaltext_textseg_data_root,
    ann_file='textseg_train.json',
    filter_cfg=dict(filter_empty_gt=False, min_size=32),
    pipeline=None)

totaltext_textseg_test = dict(
    type='CheckedOCRDataset',
    data_root=totaltext_textseg_data_root,
    ann_file='textseg_test.json',
    test_mode=True,
    pipeline=None)
