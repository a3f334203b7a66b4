# COCO-TS for text segmentation, polygon level only (MGNet stage 1 ignores
# its machine-made pixel masks): the COCO-Text v2 word polygons of the
# 14,690 COCO-TS images, written by
#   tools/dataset_converters/textseg/cocots_converter.py \
#       data/coco_ts/cocotext.v2.json data/coco_ts/train2014 data/coco_ts \
#       --labels data/coco_ts/COCO_TS_labels --split train
# into data/coco_ts/textseg_train.json (polygon masks 255 legible words,
# 127 illegible ones). MGNet trains on all of COCO-TS: there is no test
# split.
coco_ts_textseg_data_root = 'data/coco_ts'

coco_ts_textseg_train = dict(
    type='CheckedOCRDataset',
    data_root=coco_ts_textseg_data_root,
    ann_file='textseg_train.json',
    filter_cfg=dict(filter_empty_gt=False, min_size=32),
    pipeline=None)
