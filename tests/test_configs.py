"""Every config in configs/ loads (mmocr:: bases included) and builds."""
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS, TRANSFORMS

REPO_ROOT = Path(__file__).resolve().parents[1]
# Runnable configs: not in a _base_ folder, not a _base_*.py model file.
CONFIGS = sorted(
    p for p in (REPO_ROOT / 'configs').rglob('*.py')
    if '_base_' not in p.parts and not p.name.startswith('_base_'))


def test_there_are_configs():
    assert CONFIGS


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: p.name)
def test_config_builds_model_and_pipelines(path):
    cfg = Config.fromfile(str(path))
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) > 0
    for loader in ('train_dataloader', 'test_dataloader'):
        dataset = cfg[loader].dataset
        while 'dataset' in dataset:  # wrappers: DatasetFraction, Repeat...
            dataset = dataset.dataset
        for part in dataset.get('datasets', [dataset]):  # ConcatDataset
            for step in part.pipeline:
                TRANSFORMS.build(step)
