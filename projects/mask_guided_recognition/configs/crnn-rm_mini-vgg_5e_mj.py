# MGNet (TIP 2021) Table IV(b), CRNN-RM: MMOCR's CRNN trained on Synth90k,
# its first convolution widened to grey + a random mask (each pixel 1 with
# probability 0.5), the pretrained weights kept for the grey channel and
# only the widened input layer fine-tuned (paper, Sec. IV-C.3). Tested on
# MMOCR's six academic test sets (the paper: IC03 89.85, IC13 86.80,
# SVT 80.99).
_base_ = [
    'mmocr::textrecog/crnn/crnn_mini-vgg_5e_mj.py',
    '_base_mask-crnn_mini-vgg.py',
]

model = _base_.crnn_mask_model
model.trainable = 'input_layer'
model.data_preprocessor.mask_source = 'random'
# MMOCR's released CRNN (configs/textrecog/crnn/metafile.yml of mmocr
# 1.0.1); its 1-channel conv0 is widened when loaded.
load_from = ('https://download.openmmlab.com/mmocr/textrecog/crnn/'
             'crnn_mini-vgg_5e_mj/crnn_mini-vgg_5e_mj_20220826_224120-'
             '8afbedbb.pth')

train_dataloader = dict(
    dataset=dict(pipeline=_base_.crnn_mask_train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.crnn_mask_test_pipeline))
val_dataloader = test_dataloader
