# Word crops of the bundled generated scene-text data, for recognition:
#   python tools/dataset_converters/crop_words.py data/toy_scenetext \
#       textdet_train.json textrecog_train.json
# (and the same for textdet_test.json -> textrecog_test.json).
toy_scenetext_textrecog_data_root = 'data/toy_scenetext'

toy_scenetext_textrecog_train = dict(
    type='OCRDataset',
    data_root=toy_scenetext_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None)

toy_scenetext_textrecog_test = dict(
    type='OCRDataset',
    data_root=toy_scenetext_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
