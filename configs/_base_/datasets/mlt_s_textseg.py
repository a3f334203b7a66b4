# MLT-S (polygon-level masks only; MGNet ignores its machine-made pixel
# masks) for text segmentation, as written by
# tools/dataset_converters/textseg/ (see the README's "Pixel-level text
# segmentation" section) into data/mlt_s/textseg_{train,test}.json.
mlt_s_textseg_data_root = 'data/mlt_s'

mlt_s_textseg_train = dict(
    type='CheckedOCRDataset',
    data_root=mlt_s_textseg_data_root,
    ann_file='textseg_train.json',
    filter_cfg=dict(filter_empty_gt=False, min_size=32),
    pipeline=None)

mlt_s_textseg_test = dict(
    type='CheckedOCRDataset',
    data_root=mlt_s_textseg_data_root,
    ann_file='textseg_test.json',
    test_mode=True,
    pipeline=None)
