# TCM-PANet (CLIP RN50) on MSRA-TD500 (slides Table 1; the authors publish
# no PANet TD500 config): the ICDAR2015 TCM-PANet recipe with the authors'
# TD500 data (TD500 + HUST-TR400) and test short side 736.
_base_ = [
    'tcm-panet_clip-rn50_fpem-ffm_1200e_icdar2015.py',
    '_base_tcm_msra-td500.py',
]

td500_textdet_train = dict(
    _base_.td500_textdet_train, pipeline=_base_.train_pipeline)
hust_tr400_textdet_train = dict(
    _base_.hust_tr400_textdet_train, pipeline=_base_.train_pipeline)
td500_textdet_test = dict(
    _base_.td500_textdet_test, pipeline=_base_.test_pipeline)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[td500_textdet_train, hust_tr400_textdet_train]))
val_dataloader = dict(dataset=td500_textdet_test)
test_dataloader = val_dataloader
