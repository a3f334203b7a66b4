# TotalText for pixel-level text segmentation (pixel masks and polygon
# masks: 255 cared words, 127 "#" don't care), written by
#   tools/dataset_converters/textseg/totaltext_converter.py \
#       data/totaltext/Images/Train data/totaltext/Groundtruth/Polygon/Train \
#       data/totaltext/groundtruth_pixel/Train data/totaltext --split train
# (the same with Test / --split test; Txt_format/{Train,Test} works as
# the polygon folder too) into data/totaltext/textseg_{train,test}.json.
totaltext_textseg_data_root = 'data/totaltext'

totaltext_textseg_train = dict(
    type='CheckedOCRDataset',
    data_root=totaltext_textseg_data_root,
    ann_file='textseg_train.json',
    filter_cfg=dict(filter_empty_gt=False, min_size=32),
    pipeline=None)

totaltext_textseg_test = dict(
    type='CheckedOCRDataset',
    data_root=totaltext_textseg_data_root,
    ann_file='textseg_test.json',
    test_mode=True,
    pipeline=None)
