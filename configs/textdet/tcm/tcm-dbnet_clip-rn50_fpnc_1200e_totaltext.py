# TCM-DBNet (CLIP RN50) on TotalText, the authors' recipe: the ICDAR2015
# TCM-DBNet (their training pipeline: 640x640 crops, batch 16) with TotalText
# data, 32 learnable context tokens, AdamW 1e-4 (weight decay 1e-4), poly 0.9
# over 1200 epochs, POLYGON output with their tuned postprocessor (mask
# 0.347, score 0.3, unclip 1.95), test short side 800 (long side <= 2944).
# It starts from the SynthText + real pre-training
# (tcm-dbnet_clip-rn50_fpnc_20e_synthtext-real.py); without it:
# --cfg-options load_from=None.
_base_ = [
    'tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py',
    'mmocr::textdet/_base_/datasets/totaltext.py',
]
load_from = 'work_dirs/tcm-dbnet_clip-rn50_fpnc_20e_synthtext-real/epoch_20.pth'  # noqa

model = dict(
    text_prompt=dict(num_context_tokens=32),
    det_head=dict(postprocessor=_base_.tcm_db_postprocessor_totaltext))

optim_wrapper = _base_.tcm_optim_wrapper_adamw

test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(2944, 800), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(type='FixInvalidPolygon', min_poly_points=4),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
totaltext_textdet_train = dict(
    _base_.totaltext_textdet_train, pipeline=_base_.train_pipeline)
totaltext_textdet_test = dict(
    _base_.totaltext_textdet_test, pipeline=test_pipeline)
train_dataloader = dict(dataset=totaltext_textdet_train)
val_dataloader = dict(dataset=totaltext_textdet_test)
test_dataloader = val_dataloader
