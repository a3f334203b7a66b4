# The ablation of paper Table 1: STKM's encoder (the same ResNet-50 + FPN,
# fusion, ASPM and OTSG dictionary as stkm_resnet50_fpn_10e_synthtext.py)
# trained without the decoder, by character-level multi-label
# classification (global average pooling, a linear layer, BCE on the set of
# characters of the image's words). Same data, schedule and pipeline; the
# word metric cannot score a character set, so it is evaluated with
# CharSetMetric (the full STKM reports it too, for comparison).
_base_ = ['stkm_resnet50_fpn_10e_synthtext.py']

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
