# The tiny CRNN of _base_mask-crnn_tiny_toy.py with the crop's ground-truth
# pixel mask (from the generator, cut out with the crop) as its second input
# channel: the upper bound of a predicted mask.
_base_ = ['_base_mask-crnn_tiny_toy.py']

model = dict(data_preprocessor=dict(mask_source='gt'))
train_dataloader = dict(
    dataset=dict(pipeline=_base_.crnn_gt_mask_train_pipeline))
val_dataloader = dict(
    dataset=dict(pipeline=_base_.crnn_gt_mask_train_pipeline))
test_dataloader = val_dataloader
