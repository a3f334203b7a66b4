# MGNet (TIP 2021) Table IV(b), ASTER-RM: MMOCR's ASTER trained on
# SynthText + Synth90k, the STN's and the backbone's first convolutions
# widened to BGR + a random mask (each pixel 1 with probability 0.5), the
# pretrained weights kept for the colour channels and only the widened
# input layers fine-tuned. Tested on MMOCR's six academic test sets (the
# paper: CUTE80 79.90, SVT-P 79.20).
_base_ = [
    'mmocr::textrecog/aster/aster_resnet45_6e_st_mj.py',
    '_base_mask-aster_resnet45.py',
]

model = _base_.aster_mask_model
model.trainable = 'input_layer'
model.data_preprocessor.mask_source = 'random'
# MMOCR's released ASTER (configs/textrecog/aster/metafile.yml of mmocr
# 1.0.1); its 3-channel input layers are widened when loaded.
load_from = ('https://download.openmmlab.com/mmocr/textrecog/aster/'
             'aster_resnet45_6e_st_mj/aster_resnet45_6e_st_mj-cc56eca4.pth')

train_dataloader = dict(
    dataset=dict(pipeline=_base_.aster_mask_train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.aster_mask_test_pipeline))
val_dataloader = test_dataloader
