# TCM-DBNet (CLIP RN50) on CTW1500, the authors' recipe (MMOCR 1.0.1 has no
# DBNet CTW1500 config: the ICDAR2015 TCM-DBNet with CTW1500 data): 32
# learnable context tokens, AdamW 1e-4 (weight decay 1e-4), poly 0.9 over
# 1200 epochs, polygon output with their tuned postprocessor (mask 0.08,
# score 0.3, unclip 2.0), test short side 1024. It starts from the
# SynthText + real pre-training
# (tcm-dbnet_clip-rn50_fpnc_20e_synthtext-real.py); without it:
# --cfg-options load_from=None.
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    'mmocr::textdet/_base_/datasets/ctw1500.py',
]
load_from = 'work_dirs/tcm-dbnet_clip-rn50_fpnc_20e_synthtext-real/epoch_20.pth'  # noqa

model = dict(
    text_prompt=dict(num_context_tokens=32),
    det_head=dict(postprocessor=_base_.tcm_db_postprocessor_ctw1500))

optim_wrapper = _base_.tcm_optim_wrapper_adamw

ctw1500_textdet_train = dict(
    _base_.ctw1500_textdet_train, pipeline=_base_.train_pipeline)
ctw1500_textdet_test = dict(
    _base_.ctw1500_textdet_test, pipeline=_base_.test_pipeline)
train_dataloader = dict(dataset=ctw1500_textdet_train)
val_dataloader = dict(dataset=ctw1500_textdet_test)
test_dataloader = val_dataloader
