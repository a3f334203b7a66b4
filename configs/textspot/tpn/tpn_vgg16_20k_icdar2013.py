# TPN spotter on ICDAR2013 (focused scene text): fine-tuning on its 229
# training images from the SynthText stage (the paper reports ICDAR2013
# end-to-end / word-spotting results; the fine-tuning set and length are
# our assumption), evaluated on the 233 test images with the ICDAR2013
# end-to-end protocol of the lexicon-based results the paper compares with:
# ground-truth words shorter than 3 characters or not alphanumeric are
# "don't care" (filter_words=True, care_rule='alnum'; the other rules are
# the ICDAR 2015 script's, E2ESpottingMetric's defaults). For the strong /
# weak / generic lexicons set test_evaluator.lexicon_mode and lexicon_path
# (per-image voc_{stem}.txt files, all test words, or the 90k generic
# list), and test_evaluator.word_spotting=True for word spotting.
_base_ = [
    'tpn_vgg16_80k_synthwords.py',
    '../../_base_/datasets/icdar2013_textspotting.py',
]

load_from = 'work_dirs/tpn_vgg16_50k_synthtext/iter_50000.pth'

icdar2013_textspotting_train = dict(
    _base_.icdar2013_textspotting_train, pipeline=_base_.train_pipeline)
icdar2013_textspotting_test = dict(
    _base_.icdar2013_textspotting_test, pipeline=_base_.test_pipeline)
train_dataloader = dict(dataset=icdar2013_textspotting_train)
val_dataloader = dict(dataset=icdar2013_textspotting_test)
test_dataloader = val_dataloader
# End to end (e2e/*, and the ICDAR 2015 Task 4.1 detection pass e2e/det_*)
# and the ICDAR 2013 detection F under DetEval (deteval/*, the RRC's Task
# 2.1 script: area recall 0.8 / precision 0.4, splits credited 0.8), both
# at the fixed score threshold 0.5 (or test_evaluator.0.score_thr_file /
# test_evaluator.1.score_thr_file from a validation run, see the README).
val_evaluator = [
    dict(type='E2ESpottingMetric', filter_words=True, care_rule='alnum'),
    dict(type='DetEvalMetric'),
]
test_evaluator = val_evaluator

train_cfg = dict(max_iters=20000, val_interval=5000)
custom_hooks = [dict(type='TPNCurriculumHook', unlock_iter=0)]
default_hooks = dict(checkpoint=dict(interval=5000))
