# ICDAR 2017 MLT (RRC-MLT task 1: 7,200 training, 1,800 validation images,
# 9 languages) in MMOCR's detection JSON format, written by
#   python tools/dataset_converters/icdar2017_mlt2json.py data/icdar2017_mlt
# into data/icdar2017_mlt (the unpacked zips). `###` words are `ignore`
# instances; the script column is not part of the text. The test set's
# ground truth is not public (the challenge server scores it), so the
# validation set is the local test set.
icdar2017_mlt_textdet_data_root = 'data/icdar2017_mlt'

icdar2017_mlt_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2017_mlt_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

icdar2017_mlt_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2017_mlt_textdet_data_root,
    ann_file='textdet_val.json',
    test_mode=True,
    pipeline=None)
