# The Table 1 ablation on the toy data: the encoder of
# stkm_resnet18_fpn_toy.py (same narrowed backbone, FPN, fusion, ASPM and
# dictionary) trained by character-level multi-label classification instead
# of reading the words with the decoder; scored by CharSetMetric.
_base_ = ['stkm_resnet18_fpn_toy.py']

model = dict(
    _delete_=True,
    type='STKMMultiLabel',
    data_preprocessor=_base_.model.data_preprocessor,
    backbone=_base_.model.backbone,
    neck=_base_.model.neck,
    fusion=_base_.model.fusion,
    position=_base_.model.position,
    dictionary=_base_.model.dictionary,
    threshold=0.5)

val_evaluator = dict(_delete_=True, type='CharSetMetric')
test_evaluator = val_evaluator
