# SynthText (800k images, about 10 words per real background) for text
# spotting: MMOCR's OCRDataset JSON with transcripts, as written by MMOCR's
# `python tools/dataset_converters/prepare_dataset.py synthtext --task
# textspotting` (textspotting_train.json). Detection-only JSONs are refused
# (require_texts=True).
synthtext_textspotting_data_root = 'data/synthtext'

synthtext_textspotting_train = dict(
    type='CheckedOCRDataset',
    data_root=synthtext_textspotting_data_root,
    ann_file='textspotting_train.json',
    require_texts=True,
    filter_cfg=dict(filter_empty_gt=True, min_size=8),
    pipeline=None)
