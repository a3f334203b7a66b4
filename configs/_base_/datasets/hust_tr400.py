# HUST-TR400 (400 images, the same `.gt` layout as MSRA-TD500), the extra
# training data used with MSRA-TD500, in MMOCR's detection JSON format:
#   python tools/dataset_converters/td500_gt2json.py \
#       data/hust_tr400/HUST-TR400 data/hust_tr400/textdet_train.json
# Difficult lines are `ignore` instances. Training only (no test split).
hust_tr400_textdet_data_root = 'data/hust_tr400'

hust_tr400_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=hust_tr400_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
