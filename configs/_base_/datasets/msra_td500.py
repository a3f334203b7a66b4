# MSRA-TD500 in MMOCR's detection JSON format (MMOCR 1.0.1 ships no
# TD500 dataset config): data/td500/textdet_{train,test}.json with the
# images beside them, written by
#   python tools/dataset_converters/td500_gt2json.py \
#       data/td500/train data/td500/textdet_train.json
#   python tools/dataset_converters/td500_gt2json.py \
#       data/td500/test data/td500/textdet_test.json
# Difficult lines are `ignore` instances.
td500_textdet_data_root = 'data/td500'

td500_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=td500_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

td500_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=td500_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
