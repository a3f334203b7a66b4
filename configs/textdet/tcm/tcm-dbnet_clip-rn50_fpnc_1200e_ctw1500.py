# TCM-DBNet (CLIP RN50) on CTW1500 (MMOCR 1.0.1 has no DBNet CTW1500
# config: the ICDAR2015 one with CTW1500 data and polygon output), 32
# learnable context tokens, AdamW 1e-4; test short side 1024. The authors
# start from a 20-epoch pre-training on SynthText + IC15 + CTW + TotalText:
# give it with --cfg-options load_from=CKPT.
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    'mmocr::textdet/_base_/datasets/ctw1500.py',
]

model = dict(
    text_prompt=dict(num_context_tokens=32),
    det_head=dict(postprocessor=dict(text_repr_type='poly')))

optim_wrapper = _base_.tcm_optim_wrapper_adamw
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1200)]

ctw1500_textdet_train = dict(
    _base_.ctw1500_textdet_train, pipeline=_base_.train_pipeline)
ctw1500_textdet_test = dict(
    _base_.ctw1500_textdet_test, pipeline=_base_.test_pipeline)
train_dataloader = dict(dataset=ctw1500_textdet_train)
val_dataloader = dict(dataset=ctw1500_textdet_test)
test_dataloader = val_dataloader
