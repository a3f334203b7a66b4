"""The PSENet rows of STKM's Tables 1-4: the paper's fine-tuning recipe,
pytorch-style ResNet-50, each row's starting weights, loss and predict."""
import copy
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS, MODELS

import mmtextknow  # noqa: F401

STKM_DIR = Path(__file__).resolve().parents[3] / 'configs' / 'textdet' / \
    'stkm'
FINETUNE = sorted(p.name for p in STKM_DIR.glob('psenet_resnet50-*_600e_*.py'))
#: backbone of each pre-training: exported (stkm2backbone.py) or read from
#: the SynthText detector's checkpoint (prefix 'backbone.')
STARTS = {
    'imagenet': dict(type='Pretrained', checkpoint='torchvision://resnet50'),
    'stkm': dict(type='Pretrained',
                 checkpoint='checkpoints/stkm_resnet50_synthtext_backbone.pth'),
    'stkm-multilabel': dict(
        type='Pretrained',
        checkpoint='checkpoints/'
        'stkm-multilabel_resnet50_synthtext_backbone.pth'),
    'synthtext': dict(
        type='Pretrained',
        checkpoint='work_dirs/psenet_resnet50_fpnf_10e_synthtext/epoch_10.pth',
        prefix='backbone.'),
    'east-synthtext': dict(
        type='Pretrained',
        checkpoint='work_dirs/east_resnet50_unet_10e_synthtext/epoch_10.pth',
        prefix='backbone.'),
}

#: pre-training of the backbone -> datasets of its rows in Tables 1-4
ROWS = {
    'imagenet': ('icdar2015', 'ctw1500', 'totaltext'),  # Tables 3, 4
    'stkm': ('icdar2015', 'ctw1500', 'totaltext'),  # Tables 1, 3, 4
    'stkm-multilabel': ('icdar2015', 'ctw1500', 'totaltext'),  # Table 1
    'synthtext': ('icdar2015', 'ctw1500'),  # Table 4
    'east-synthtext': ('icdar2015', 'ctw1500'),  # Table 4
}


def _cfg(name: str) -> Config:
    init_default_scope('mmocr')
    return Config.fromfile(str(STKM_DIR / name))


def test_every_psenet_row_has_a_config():
    expected = sorted(f'psenet_resnet50-{pre}_fpnf_600e_{ds}.py'
                      for pre, datasets in ROWS.items() for ds in datasets)
    assert FINETUNE == expected


@pytest.mark.parametrize('name', FINETUNE)
def test_paper_finetune_recipe(name):
    """Sec. 4.2: SGD lr 1e-3, momentum 0.9, wd 1e-4, batch 16, 600 epochs,
    x0.1 after epochs 200 and 400."""
    cfg = _cfg(name)
    assert cfg.optim_wrapper.type == 'OptimWrapper'
    assert cfg.optim_wrapper.optimizer == dict(
        type='SGD', lr=1e-3, momentum=0.9, weight_decay=1e-4)
    assert cfg.train_cfg.max_epochs == 600
    assert [dict(s) for s in cfg.param_scheduler] == [
        dict(type='MultiStepLR', milestones=[200, 400], gamma=0.1, end=600)
    ]
    assert cfg.train_dataloader.batch_size == 16
    assert cfg.auto_scale_lr.base_batch_size == 16
    # the style of torchvision's and STKM's weights (stride in the 3x3 conv)
    assert cfg.model.backbone.style == 'pytorch'
    assert cfg.model.backbone.depth == 50


@pytest.mark.parametrize('name', FINETUNE)
def test_starting_weights(name):
    """Only the backbone's weights differ between the rows."""
    cfg = _cfg(name)
    pre = name.split('_')[1][len('resnet50-'):]
    assert cfg.model.backbone.init_cfg == STARTS[pre]
    assert cfg.get('load_from') is None


def test_backbone_read_from_a_detector_checkpoint(tmp_path):
    """The SynthText rows read ``backbone.*`` of a detector checkpoint (as
    mmengine's CheckpointHook writes it): every backbone weight is
    loaded, the neck's and head's are not used."""
    cfg = _cfg('psenet_resnet50-east-synthtext_fpnf_600e_icdar2015.py')
    torch.manual_seed(0)
    source = MODELS.build(dict(cfg.model.backbone, init_cfg=None))
    for param in source.parameters():
        param.data.normal_()
    state = {f'backbone.{k}': v for k, v in source.state_dict().items()}
    state['neck.conv.weight'] = torch.ones(2, 2)
    ckpt = tmp_path / 'epoch_10.pth'
    torch.save({'meta': {'epoch': 10}, 'state_dict': state}, ckpt)
    cfg.model.backbone.init_cfg.checkpoint = str(ckpt)
    backbone = MODELS.build(cfg.model.backbone)
    backbone.init_weights()
    loaded = backbone.state_dict()
    assert set(loaded) == set(source.state_dict())
    for key, value in source.state_dict().items():
        assert torch.equal(loaded[key], value), key


def test_datasets_and_outputs():
    for ds, root, repr_type in [('icdar2015', 'data/icdar2015', 'quad'),
                                ('ctw1500', 'data/ctw1500', 'poly'),
                                ('totaltext', 'data/totaltext', 'poly')]:
        cfg = _cfg(f'psenet_resnet50-stkm_fpnf_600e_{ds}.py')
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader'):
            assert cfg[loader].dataset.data_root == root, (ds, loader)
        postprocessor = cfg.model.det_head.postprocessor
        assert postprocessor.text_repr_type == repr_type, ds


def test_synthtext_pretraining_config():
    cfg = _cfg('psenet_resnet50_fpnf_10e_synthtext.py')
    assert cfg.train_dataloader.dataset.data_root == 'data/synthtext'
    assert cfg.train_cfg.max_epochs == 10
    assert cfg.optim_wrapper.optimizer.type == 'SGD'
    assert cfg.model.backbone.init_cfg.checkpoint == 'torchvision://resnet50'
    steps = [t.type for t in cfg.train_dataloader.dataset.pipeline]
    assert 'TextDetRandomCrop' in steps


def _batch(cfg: Config, data_root: Path, split: str) -> dict:
    loader = cfg[f'{split}_dataloader']
    dataset_cfg = copy.deepcopy(loader.dataset)
    dataset_cfg.update(
        type='OCRDataset',
        data_root=str(data_root),
        ann_file=f'textdet_{split}.json')
    return pseudo_collate([DATASETS.build(dataset_cfg)[0]])


def _shrink(pipeline, size):
    """The config's own pipeline at ``size`` instead of 736 / 2240 / 1280:
    the same steps, a test in seconds."""
    for step in pipeline:
        if step.type == 'ShortScaleAspectJitter':
            step.short_size = size
        elif step.type in ('TextDetRandomCrop', 'Pad'):
            step[('target_size' if step.type == 'TextDetRandomCrop' else
                  'size')] = (size, size)
        elif step.type == 'Resize':
            step.scale = (size, size)


# Total-Text has CTW1500's model and pipelines (test_datasets_and_outputs).
@pytest.mark.parametrize('ds', ['icdar2015', 'ctw1500'])
def test_loss_and_predict(ds, tiny_toy_data):
    """Each PSENet head (quadrilaterals, polygons) at full width (ResNet-50,
    random weights) on one generated image through the config's own
    pipelines, at 320 pixels."""
    cfg = _cfg(f'psenet_resnet50-stkm_fpnf_600e_{ds}.py')
    cfg.model.backbone.init_cfg = None
    _shrink(cfg.train_dataloader.dataset.pipeline, 320)
    _shrink(cfg.test_dataloader.dataset.pipeline, 320)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.train()
    batch = _batch(cfg, tiny_toy_data, 'train')
    assert batch['inputs'][0].shape[-2:] == (320, 320)
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_text', 'loss_kernel'}
    assert all(torch.isfinite(v) for v in losses.values())
    model.eval()
    with torch.no_grad():
        data = model.data_preprocessor(
            _batch(cfg, tiny_toy_data, 'test'), False)
        results = model(**data, mode='predict')
    assert 'polygons' in results[0].pred_instances
