# TPN spotter curriculum, stage 3: 50k iterations on SynthText (about 10
# words per real background), from the stage-1 model, recogniser trained
# throughout. SynthText in MMOCR's detection JSON with transcripts (MMOCR's
# dataset preparer writes it) at data/synthtext/textdet_train.json.
_base_ = [
    'tpn_vgg16_80k_synthwords.py',
    'mmocr::textdet/_base_/datasets/synthtext.py',
]

load_from = 'work_dirs/tpn_vgg16_80k_synthwords/iter_80000.pth'

synthtext_textspot_train = dict(
    _base_.synthtext_textdet_train, pipeline=_base_.train_pipeline)
train_dataloader = dict(dataset=synthtext_textspot_train)
train_cfg = dict(max_iters=50000)
custom_hooks = [dict(type='TPNCurriculumHook', unlock_iter=0)]
