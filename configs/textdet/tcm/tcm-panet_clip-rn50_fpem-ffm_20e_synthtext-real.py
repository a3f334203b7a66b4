# The SynthText + real pre-training the TCM-PANet ICDAR2015 / CTW1500 rows
# start from (the authors': 20 epochs, Ranger 1e-3 without weight decay,
# their CTW1500 PANet pipeline, 4 learnable context tokens, polygon output):
# the CTW1500 TCM-PANet trained on SynthText + ICDAR2015 + CTW1500 +
# TotalText training images (MMOCR's dataset configs; the authors' run used
# SynText150k instead of SynthText, which MMOCR 1.0.1 does not prepare).
# Checkpoints every epoch; validated on CTW1500 at the end.
_base_ = [
    'tcm-panet_clip-rn50_fpem-ffm_1200e_ctw1500.py',
    'mmocr::textdet/_base_/datasets/synthtext.py',
    'mmocr::textdet/_base_/datasets/icdar2015.py',
    'mmocr::textdet/_base_/datasets/totaltext.py',
]
load_from = None

train_datasets = [
    dict(dataset, pipeline=_base_.train_pipeline) for dataset in (
        _base_.synthtext_textdet_train, _base_.icdar2015_textdet_train,
        _base_.ctw1500_textdet_train, _base_.totaltext_textdet_train)
]
train_dataloader = dict(
    dataset=dict(_delete_=True, type='ConcatDataset',
                 datasets=train_datasets))

train_cfg = dict(max_epochs=20, val_interval=20)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=20)]
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1))
