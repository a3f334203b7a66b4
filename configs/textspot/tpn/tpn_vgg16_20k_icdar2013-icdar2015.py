# TPN spotter curriculum, stage 4 on real images: fine-tuning on the
# ICDAR2013 (229) and ICDAR2015 (1,000) training images together, from the
# SynthText stage, evaluated on the ICDAR2015 test set (the ICDAR2013 test
# set: tpn_vgg16_20k_icdar2013.py with load_from this run's checkpoint).
# The paper fine-tunes on real images of several sets; these two are the
# public training sets with word transcripts of its two benchmarks (see the
# README's recipe table). The length (20k iterations, one image each) is our
# assumption.
_base_ = [
    'tpn_vgg16_80k_synthwords.py',
    '../../_base_/datasets/icdar2013_textspotting.py',
]

load_from = 'work_dirs/tpn_vgg16_50k_synthtext/iter_50000.pth'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(_base_.icdar2013_textspotting_train,
                 pipeline=_base_.train_pipeline),
            dict(_base_.icdar2015_textspotting_train,
                 pipeline=_base_.train_pipeline),
        ]))
train_cfg = dict(max_iters=20000, val_interval=5000)
custom_hooks = [dict(type='TPNCurriculumHook', unlock_iter=0)]
default_hooks = dict(checkpoint=dict(interval=5000))
