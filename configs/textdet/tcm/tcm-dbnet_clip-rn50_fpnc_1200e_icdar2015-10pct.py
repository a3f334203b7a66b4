# Few-shot TCM-DBNet (slides Fig. 5): the ICDAR2015 recipe trained on a
# seeded random 10 % of the training images (DatasetFraction), tested on the
# full test set. Other ratios:
#   --cfg-options train_dataloader.dataset.fraction=0.01
_base_ = ['tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py']

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='DatasetFraction',
        dataset=_base_.icdar2015_textdet_train,
        fraction=0.1,
        seed=0))
