"""Every EAST config (paper, pre-training, STKM transfers, toy): builds,
and its model computes the loss and predicts on generated images through
the config's own pipelines."""
import copy
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS, MODELS

import mmtextknow  # noqa: F401
from mmtextknow.models.textdet.east import EAST

REPO_ROOT = Path(__file__).resolve().parents[3]
CONFIGS = sorted((REPO_ROOT / 'configs' / 'textdet' / 'east').glob(
    'east_*.py')) + sorted(
        (REPO_ROOT / 'configs' / 'textdet' / 'stkm').glob('east_*.py'))


def test_every_row_has_a_config():
    names = {p.name for p in CONFIGS}
    for sched, data in (('600e', 'icdar2015'), ('150e', 'icdar2017'),
                        ('600e', 'msra-td500')):
        assert f'east_resnet50_unet_{sched}_{data}.py' in names
        assert f'east_resnet50-stkm_unet_{sched}_{data}.py' in names
        assert f'east_resnet50-stkm-multilabel_unet_{sched}_{data}.py' \
            in names
    for sched, data in (('600e', 'icdar2015'), ('150e', 'icdar2017')):
        assert f'east_resnet50-synthtext_unet_{sched}_{data}.py' in names
        assert f'east_resnet50-psenet-synthtext_unet_{sched}_{data}.py' \
            in names


def _load(path: Path) -> Config:
    init_default_scope('mmocr')
    return Config.fromfile(str(path))


def _signature(cfg: Config) -> str:
    """The model (without its initialisation) and the pipelines."""
    model = copy.deepcopy(cfg.model)
    model.backbone.pop('init_cfg', None)
    return repr((model.to_dict(), cfg.train_dataloader.dataset.pipeline,
                 cfg.test_dataloader.dataset.pipeline))


def _groups():
    """Configs that differ only in the backbone's initialisation (the STKM
    transfers and their ImageNet counterparts) form one group; the loss /
    predict test runs once per group on its first config."""
    groups = {}
    for path in CONFIGS:
        groups.setdefault(_signature(_load(path)), []).append(path)
    return list(groups.values())


GROUPS = _groups()


def test_transfer_configs_only_change_the_backbone_initialisation():
    stkm = [p for p in CONFIGS if p.parent.name == 'stkm']
    assert len(stkm) == 11
    # each paper transfer config is in the group of its ImageNet config
    for group in GROUPS:
        if any(p.parent.name == 'stkm' and 'toy' not in p.name
               for p in group):
            assert any(p.parent.name == 'east' for p in group), group
    for path in stkm:
        init = _load(path).model.backbone.init_cfg
        assert init.type == 'Pretrained'
        assert init.checkpoint != 'torchvision://resnet50'
        assert ('synthtext_unet' in path.name) == ('prefix' in init)


def _batch(cfg: Config, data_root: Path, split: str) -> dict:
    loader = cfg[f'{split}_dataloader']
    dataset_cfg = copy.deepcopy(loader.dataset)
    dataset_cfg.update(
        type='OCRDataset',
        data_root=str(data_root),
        ann_file=f'textdet_{split}.json')
    if split == 'test':
        # a quarter of the test scale keeps the test in seconds on a CPU
        for step in dataset_cfg.pipeline:
            if step.type == 'Resize':
                step.scale = tuple(s // 4 for s in step.scale)
    dataset = DATASETS.build(dataset_cfg)
    return pseudo_collate([dataset[0]])


@pytest.mark.parametrize(
    'group', GROUPS, ids=lambda g: f'{g[0].stem}+{len(g) - 1}')
def test_config_loss_and_predict(group, tiny_toy_data):
    cfg = _load(group[0])
    cfg.model.backbone.init_cfg = None
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    assert isinstance(model, EAST)
    head = cfg.model.det_head
    assert head.geometry == head.module_loss.geometry == \
        head.postprocessor.geometry
    model.train()
    data = model.data_preprocessor(_batch(cfg, tiny_toy_data, 'train'), True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_score', 'loss_aabb', 'loss_angle'}
    assert all(torch.isfinite(v) for v in losses.values())
    model.eval()
    with torch.no_grad():
        data = model.data_preprocessor(_batch(cfg, tiny_toy_data, 'test'),
                                       False)
        results = model(**data, mode='predict')
    pred = results[0].pred_instances
    assert {'polygons', 'scores'} <= set(pred.keys())
    assert len(pred.polygons) == len(pred.scores)


def test_paper_recipes():
    init_default_scope('mmocr')
    east = REPO_ROOT / 'configs' / 'textdet' / 'east'
    expected = {
        'east_resnet50_unet_600e_icdar2015.py': (512, 32, 600, [200, 400]),
        'east_resnet50_unet_150e_icdar2017.py': (640, 22, 150, [50, 100]),
        'east_resnet50_unet_600e_msra-td500.py': (640, 22, 600, [200, 400]),
    }
    for name, (size, batch, epochs, steps) in expected.items():
        cfg = Config.fromfile(str(east / name))
        resize = [t for t in cfg.train_dataloader.dataset.pipeline
                  if t.type == 'Resize'][0]
        assert tuple(resize.scale) == (size, size)
        assert cfg.train_dataloader.batch_size == batch
        assert cfg.optim_wrapper.optimizer.type == 'Adam'
        assert cfg.optim_wrapper.optimizer.lr == 1e-4
        assert cfg.train_cfg.max_epochs == epochs
        assert cfg.param_scheduler[0].milestones == steps
        assert cfg.param_scheduler[0].gamma == 0.1
        assert cfg.model.backbone.init_cfg.checkpoint == \
            'torchvision://resnet50'
        assert cfg.model.backbone.style == 'pytorch'
        loss = cfg.model.det_head.module_loss
        assert (loss.score_loss, loss.angle_weight, loss.shrink_ratio) == \
            ('balanced_bce', 10.0, 0.3)
