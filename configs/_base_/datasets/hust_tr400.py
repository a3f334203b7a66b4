# HUST-TR400 in MMOCR's detection JSON format (MMOCR 1.0.1 ships no
# HUST-TR400 dataset config): data/hust_tr400/textdet_train.json with the
# images beside them. A training-only set (400 images, TD500's annotation
# layout); TCM's authors train TD500 models on TD500 + HUST-TR400.
hust_tr400_textdet_data_root = 'data/hust_tr400'

hust_tr400_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=hust_tr400_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
