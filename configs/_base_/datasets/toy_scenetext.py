# The bundled generated scene-text data (tools/dataset_converters/
# generate_toy_data.py writes it to data/toy_scenetext).
toy_scenetext_data_root = 'data/toy_scenetext'

toy_scenetext_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=toy_scenetext_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

toy_scenetext_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=toy_scenetext_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)

# The same generated data for pixel-level text segmentation: each item also
# names its pixel-level and polygon-level mask files. Images without text are
# kept (they are valid all-background samples).
toy_scenetext_textseg_train = dict(
    toy_scenetext_textdet_train,
    filter_cfg=dict(filter_empty_gt=False, min_size=32))
toy_scenetext_textseg_test = dict(toy_scenetext_textdet_test)
