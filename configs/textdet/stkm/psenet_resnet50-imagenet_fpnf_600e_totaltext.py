# PSENet ResNet-50 on Total-Text with the STKM paper's fine-tuning recipe,
# from ImageNet weights: the "PSENet*" row of Table 3. MMOCR 1.0.1 has no
# PSENet Total-Text config: this is psenet_resnet50-imagenet_fpnf_600e_
# ctw1500.py (curved text, polygon output, 1280 test scale, pytorch-style
# ResNet, the paper's SGD recipe) on MMOCR's Total-Text dataset base
# (data/totaltext). The other PSENet Total-Text rows inherit this file and
# change the starting weights only.
_base_ = [
    'psenet_resnet50-imagenet_fpnf_600e_ctw1500.py',
    'mmocr::textdet/_base_/datasets/totaltext.py',
]

# dataset settings: the CTW1500 pipelines on Total-Text
totaltext_textdet_train = _base_.totaltext_textdet_train
totaltext_textdet_test = _base_.totaltext_textdet_test
totaltext_textdet_train.pipeline = _base_.train_pipeline
totaltext_textdet_test.pipeline = _base_.test_pipeline_ctw

train_dataloader = dict(
    dataset=dict(_delete_=True, **totaltext_textdet_train))
val_dataloader = dict(
    dataset=dict(_delete_=True, **totaltext_textdet_test))
test_dataloader = val_dataloader
