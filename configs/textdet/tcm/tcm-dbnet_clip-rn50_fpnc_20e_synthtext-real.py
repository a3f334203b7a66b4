# The SynthText + real pre-training the TCM-DBNet CTW1500 / TotalText rows
# start from (the authors': 20 epochs, Ranger 1e-3 without weight decay,
# 32 learnable context tokens, their DBNet training pipeline, batch 20): the
# ICDAR2015 TCM-DBNet trained on SynthText + ICDAR2015 + CTW1500 +
# TotalText + MSRA-TD500 + HUST-TR400 training images. The authors' run
# also had SynText150k and ICDAR2017-MLT, which MMOCR 1.0.1 does not
# prepare. MMOCR's default DBNet postprocessor (the authors' for this run);
# checkpoints every epoch; validated on ICDAR2015 at the end.
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    'mmocr::textdet/_base_/datasets/synthtext.py',
    'mmocr::textdet/_base_/datasets/ctw1500.py',
    'mmocr::textdet/_base_/datasets/totaltext.py',
    '../../_base_/datasets/msra_td500.py',
    '../../_base_/datasets/hust_tr400.py',
]

model = dict(
    text_prompt=dict(num_context_tokens=32),
    det_head=dict(
        postprocessor=dict(
            text_repr_type='quad',
            mask_thr=0.3,
            min_text_score=0.3,
            min_text_width=5,
            unclip_ratio=1.5,
            epsilon_ratio=0.01,
            max_candidates=3000)))

optim_wrapper = _base_.tcm_optim_wrapper_ranger

train_datasets = [
    dict(dataset, pipeline=_base_.train_pipeline) for dataset in (
        _base_.synthtext_textdet_train, _base_.icdar2015_textdet_train,
        _base_.ctw1500_textdet_train, _base_.totaltext_textdet_train,
        _base_.td500_textdet_train, _base_.hust_tr400_textdet_train)
]
train_dataloader = dict(
    batch_size=20,
    dataset=dict(_delete_=True, type='ConcatDataset',
                 datasets=train_datasets))
auto_scale_lr = dict(base_batch_size=20)

train_cfg = dict(max_epochs=20, val_interval=20)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=20)]
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1))
