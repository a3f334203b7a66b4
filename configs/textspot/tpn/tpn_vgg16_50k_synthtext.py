# TPN spotter curriculum, stage 3: 50k iterations on SynthText (about 10
# words per real background), from the stage-1 model, recogniser trained
# throughout. Data: configs/_base_/datasets/synthtext_textspotting.py.
_base_ = [
    'tpn_vgg16_80k_synthwords.py',
    '../../_base_/datasets/synthtext_textspotting.py',
]

load_from = 'work_dirs/tpn_vgg16_80k_synthwords/iter_80000.pth'

synthtext_textspotting_train = dict(
    _base_.synthtext_textspotting_train, pipeline=_base_.train_pipeline)
train_dataloader = dict(dataset=synthtext_textspotting_train)
train_cfg = dict(max_iters=50000)
custom_hooks = [dict(type='TPNCurriculumHook', unlock_iter=0)]
