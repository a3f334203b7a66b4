# MLT-S for text segmentation, polygon level only (MGNet stage 1 ignores
# its machine-made pixel masks): the ICDAR MLT 2017 word polygons of the
# 6,896 MLT-S images (training and validation label folders), written by
#   tools/dataset_converters/textseg/mlt_s_converter.py data/mlt \
#       data/mlt_s --split train
# (data/mlt holds the unpacked MLT 2017 and MLT_S_labels zips) into
# data/mlt_s/textseg_train.json (polygon masks 255 words, 127 "###").
# MGNet trains on all of MLT-S: there is no test split.
mlt_s_textseg_data_root = 'data/mlt_s'

mlt_s_textseg_train = dict(
    type='CheckedOCRDataset',
    data_root=mlt_s_textseg_data_root,
    ann_file='textseg_train.json',
    filter_cfg=dict(filter_empty_gt=False, min_size=32),
    pipeline=None)
