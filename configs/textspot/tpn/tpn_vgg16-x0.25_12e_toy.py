# The TPN spotter on the bundled generated data, sized for a few CPU
# minutes: VGG-16 at 1/4 width (128 channels at stride 8), 256x256 inputs,
# smaller TPN / TDN / TRN; the recogniser is locked for the first 48
# iterations (the paper's curriculum in miniature), Adam 1e-3.
_base_ = [
    '_base_tpn_vgg16.py',
    'mmocr::textdet/_base_/default_runtime.py',
    '../../_base_/datasets/toy_scenetext.py',
    '../../_base_/schedules/schedule_adam_toy.py',
]
custom_imports = dict(imports=['mmtextknow'], allow_failed_imports=False)

vgg_channels = 128
region_channels = 128
model = dict(
    # random init: no ImageNet file at 1/4 width
    backbone=dict(base_channels=16, init_cfg=None),
    tpn_head=dict(in_channels=vgg_channels, feat_channels=64),
    roi_pool=dict(max_width=32),
    region_encoder=dict(
        in_channels=vgg_channels, hidden_channels=region_channels),
    tdn=dict(in_channels=region_channels, fc_channels=256),
    trn=dict(
        in_channels=region_channels,
        embed_dims=64,
        hidden_channels=128,
        attn_channels=64,
        max_len=12,
        # the summed per-word cross-entropy is ~10x the detection losses
        loss_weight=0.1),
    # keep low-scoring detections for the metric's per-threshold table (the
    # reported numbers are at its fixed score_thr, 0.5)
    test_cfg=dict(score_thr=0.05))

img_scale = (256, 256)
train_pipeline = _base_.load_steps + [
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    _base_.pack_step,
]
# the ground truth is loaded after Resize: it stays in the original frame,
# where the predictions are mapped back (see _base_tpn_vgg16.py)
test_pipeline = [
    _base_.load_image,
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    _base_.load_annotations,
    _base_.pack_step,
]

toy_scenetext_textspot_train = dict(
    _base_.toy_scenetext_textdet_train, pipeline=train_pipeline)
toy_scenetext_textspot_test = dict(
    _base_.toy_scenetext_textdet_test, pipeline=test_pipeline)

train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=toy_scenetext_textspot_train)
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=toy_scenetext_textspot_test)
test_dataloader = val_dataloader

val_evaluator = dict(type='E2ESpottingMetric')
test_evaluator = val_evaluator
# Draws the words and their transcripts (tools/test.py --show-dir,
# tools/infer.py --spot --save_vis).
visualizer = dict(type='TextSpottingLocalVisualizer')

train_cfg = dict(max_epochs=12, val_interval=6)
custom_hooks = [dict(type='TPNCurriculumHook', unlock_iter=48)]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=8),
    checkpoint=dict(type='CheckpointHook', interval=12))
randomness = dict(seed=0)
auto_scale_lr = dict(base_batch_size=4)
