# TCM-DBNet (CLIP RN50) on MSRA-TD500, the authors' recipe: trained on
# TD500 + HUST-TR400 (data layouts in configs/_base_/datasets/msra_td500.py
# and hust_tr400.py), Ranger (RAdam in Lookahead) 1e-3 without weight decay,
# poly 0.9 over 1200 epochs, 4 learnable context tokens, their tuned
# postprocessor (mask 0.08, score 0.17, unclip 1.9, no polygon
# approximation), test short side 736; trained from CLIP (no pre-training).
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    '_base_tcm_msra-td500.py',
]

model = dict(det_head=dict(postprocessor=_base_.tcm_db_postprocessor_td500))

optim_wrapper = _base_.tcm_optim_wrapper_ranger

td500_textdet_train = dict(
    _base_.td500_textdet_train, pipeline=_base_.train_pipeline)
hust_tr400_textdet_train = dict(
    _base_.hust_tr400_textdet_train, pipeline=_base_.train_pipeline)
td500_textdet_test = dict(
    _base_.td500_textdet_test, pipeline=_base_.td500_test_pipeline)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[td500_textdet_train, hust_tr400_textdet_train]))
val_dataloader = dict(dataset=td500_textdet_test)
test_dataloader = val_dataloader
