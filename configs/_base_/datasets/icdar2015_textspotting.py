# ICDAR2015 for text spotting: MMOCR's OCRDataset JSON WITH transcripts
# (every instance has a "text"; "###" marks don't-care words), as written
# by MMOCR's `python tools/dataset_converters/prepare_dataset.py icdar2015
# --task textspotting` (textspotting_{train,test}.json) or by our
# `tools/dataset_converters/icdar_txt2json.py` from the ICDAR .txt files.
# A detection-only JSON (MMOCR's --task textdet output) is refused with an
# error naming the file (require_texts=True).
icdar2015_textspotting_data_root = 'data/icdar2015'

icdar2015_textspotting_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2015_textspotting_data_root,
    ann_file='textspotting_train.json',
    require_texts=True,
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

icdar2015_textspotting_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2015_textspotting_data_root,
    ann_file='textspotting_test.json',
    require_texts=True,
    test_mode=True,
    pipeline=None)
