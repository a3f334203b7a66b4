# ICDAR2013 (focused scene text: 229 train / 233 test images) for text
# detection: MMOCR's detection JSON as written by MMOCR's
# `python tools/dataset_converters/prepare_dataset.py icdar2013 --task
# textdet` (data/icdar2013/textdet_{train,test}.json; MMOCR 1.0.1 ships the
# preparer but no textdet dataset config).
icdar2013_textdet_data_root = 'data/icdar2013'

icdar2013_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2013_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

icdar2013_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2013_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
