# EAST at the 640 x 640 training size of ICDAR 2017 MLT and MSRA-TD500
# (STKM paper, Sec. 4.2). These sets have long text lines and large images,
# so the geometry range is 1024 pixels and the test images are resized to a
# longer side of 1600.
_base_ = ['_base_east_resnet50_unet.py']

model = dict(det_head=dict(geo_scale=1024))
train_pipeline = _base_.train_pipeline
train_pipeline[5] = dict(type='Resize', scale=(640, 640), keep_ratio=False)
test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(1600, 1600), keep_ratio=True)
