# TCM-DBNet (CLIP RN50) on TotalText: MMOCR's DBNet TotalText config
# (polygon output, test short side 736) with TCM's modules, 32 learnable
# context tokens (the authors' CTW/TT setting) and AdamW 1e-4. The authors
# start from a 20-epoch pre-training on SynthText + IC15 + CTW + TotalText:
# give it with --cfg-options load_from=CKPT.
_base_ = [
    'mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_totaltext.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

model = dict(_base_.tcm_model, text_prompt=_base_.tcm_text_prompt_32)

optim_wrapper = _base_.tcm_optim_wrapper_adamw
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1200)]
