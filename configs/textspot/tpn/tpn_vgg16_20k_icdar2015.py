# TPN spotter curriculum, stage 4: fine-tuning on the ICDAR2015 training
# images (the paper adds the validation images; MMOCR's ICDAR2015 has
# train / test only), from the SynthText stage. The length (20k iterations,
# one image each) is our assumption. End-to-end evaluation on the test set
# without lexicon; for the strong / weak / generic settings set
# test_evaluator.lexicon_mode and lexicon_path (ICDAR2015's voc_img_N.txt
# per-image files, its weak vocabulary, or the 90k generic list), and
# test_evaluator.word_spotting=True for word spotting.
_base_ = ['tpn_vgg16_80k_synthwords.py']

load_from = 'work_dirs/tpn_vgg16_50k_synthtext/iter_50000.pth'

icdar2015_textspotting_train = dict(
    _base_.icdar2015_textspotting_train, pipeline=_base_.train_pipeline)
train_dataloader = dict(dataset=icdar2015_textspotting_train)
train_cfg = dict(max_iters=20000, val_interval=5000)
custom_hooks = [dict(type='TPNCurriculumHook', unlock_iter=0)]
default_hooks = dict(checkpoint=dict(interval=5000))
