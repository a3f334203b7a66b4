# ICDAR2013 (focused scene text: 229 train / 233 test images) for text
# spotting: MMOCR's OCRDataset JSON with transcripts, as written by MMOCR's
# `python tools/dataset_converters/prepare_dataset.py icdar2013 --task
# textspotting` (textspotting_{train,test}.json). Detection-only JSONs are
# refused (require_texts=True).
icdar2013_textspotting_data_root = 'data/icdar2013'

icdar2013_textspotting_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2013_textspotting_data_root,
    ann_file='textspotting_train.json',
    require_texts=True,
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

icdar2013_textspotting_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2013_textspotting_data_root,
    ann_file='textspotting_test.json',
    require_texts=True,
    test_mode=True,
    pipeline=None)
