# The TextSeg data set (Xu et al., CVPR 2021: 2646 train / 340 val / 1038
# test images, pixel-level masks + word polygons) for pixel-level text
# segmentation, as written by
# tools/dataset_converters/textseg/textseg_converter.py (once per split:
# --split {train,val,test} --split-file split.json; see the README's
# "Pixel-level text segmentation" section) into
# data/textseg/textseg_{train,val,test}.json.
textseg_seg_data_root = 'data/textseg'

textseg_seg_train = dict(
    type='CheckedOCRDataset',
    data_root=textseg_seg_data_root,
    ann_file='textseg_train.json',
    filter_cfg=dict(filter_empty_gt=False, min_size=32),
    pipeline=None)

textseg_seg_val = dict(
    type='CheckedOCRDataset',
    data_root=textseg_seg_data_root,
    ann_file='textseg_val.json',
    test_mode=True,
    pipeline=None)

textseg_seg_test = dict(
    type='CheckedOCRDataset',
    data_root=textseg_seg_data_root,
    ann_file='textseg_test.json',
    test_mode=True,
    pipeline=None)
