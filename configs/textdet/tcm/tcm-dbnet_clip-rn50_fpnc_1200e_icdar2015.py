# TCM-DBNet (CLIP RN50) on ICDAR2015: MMOCR's DBNet-R50 ICDAR2015 config
# (FPNC, DBHead, loss, 640x640 crops, batch 16, test short side 1024) with
# TCM's modules and the authors' recipe: Adam 1e-4, weight decay 1e-4, poly
# 0.9 over 1200 epochs, 4 learnable context tokens, their tuned
# postprocessor (mask 0.28, score 0.2, unclip 1.6), trained from CLIP (no
# pre-training). The score map is one more channel on C5 (FPNC in_channels
# 2048 + 1); the auxiliary target is DBNet's shrink map (ratio 0.4).
_base_ = [
    'mmocr::textdet/dbnet/dbnet_resnet50-dcnv2_fpnc_1200e_icdar2015.py',
    '_base_tcm_clip-rn50.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)
load_from = None

model = dict(
    _base_.tcm_model,
    det_head=dict(postprocessor=_base_.tcm_db_postprocessor_icdar2015))

optim_wrapper = _base_.tcm_optim_wrapper
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1200)]
