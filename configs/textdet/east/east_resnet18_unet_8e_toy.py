# EAST (ResNet-18, U-shaped merging branch, RBOX) on the bundled generated
# data, from random initialisation, sized for a few CPU minutes: the data,
# pipelines (256 x 256), schedule (Adam 1e-3, batch 8, 8 epochs) and
# runtime of configs/textdet/dbnet/dbnet_resnet18_fpnc_8e_toy.py with the
# EAST model.
_base_ = [
    '../dbnet/dbnet_resnet18_fpnc_8e_toy.py',
    '_base_east_model.py',
]

model = _base_.east_model
model['_delete_'] = True
# No download at run time: train from scratch.
model.backbone.update(depth=18, init_cfg=None)
model.neck.in_channels = (64, 128, 256, 512)
model.det_head.geo_scale = 256
