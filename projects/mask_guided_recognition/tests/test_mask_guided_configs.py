"""Every config of the project builds, computes its loss and predicts on
generated word crops (with their pixel masks)."""
import json
from contextlib import nullcontext
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS

from mask_guided_helpers import PROJECT_CONFIGS

CONFIGS = sorted(p for p in PROJECT_CONFIGS.glob('*.py')
                 if not p.name.startswith('_base_'))


def pipeline_of(loader: dict) -> list:
    dataset = loader.dataset
    while 'dataset' in dataset:
        dataset = dataset.dataset
    return dataset.get('pipeline') or dataset.datasets[0].pipeline


def load_batch(pipeline: list, root: Path, split: str, num: int = 2):
    data = json.loads((root / f'textrecog_{split}.json').read_text())
    items = []
    for item in data['data_list'][:num]:
        items.append(
            Compose(pipeline)(
                dict(
                    img_path=str(root / item['img_path']),
                    pixel_mask_path=str(root / item['pixel_mask_path']),
                    instances=item['instances'])))
    return pseudo_collate(items)


def test_there_are_configs():
    names = {p.name for p in CONFIGS}
    for variant in ('crnn-rm', 'crnn-pm', 'aster-rm', 'aster-pm', 'crnn-gt',
                    'aster-gt'):
        assert any(name.startswith(variant + '_') for name in names), variant


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: p.name)
def test_config_builds_trains_and_predicts(path, mask_crops):
    cfg = Config.fromfile(str(path))
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    prep = cfg.model.data_preprocessor
    if prep.mask_source == 'predicted':
        prep.seg_checkpoint = None  # tests have no trained segmenter
    assert (prep.mask_source == 'gt') == ('-gt_' in path.name)
    with pytest.warns(UserWarning) if prep.mask_source == 'predicted' \
            else nullcontext():
        model = MODELS.build(cfg.model)
    convs = [model.get_submodule(name) for name in model.input_convs] \
        if hasattr(model, 'input_convs') else []

    torch.manual_seed(0)
    model.train()
    batch = load_batch(pipeline_of(cfg.train_dataloader), mask_crops, 'train')
    data = model.data_preprocessor(batch, True)
    widened = prep.mask_source != 'none'
    for conv in convs:
        assert conv.in_channels == data['inputs'].shape[1]
    losses = model(**data, mode='loss')
    total, _ = model.parse_losses(losses)  # as the runner reduces them
    assert torch.isfinite(total)
    total.backward()
    for conv in convs if widened else []:
        assert conv.weight.grad is not None
    if widened:
        # The mask channel learns. (The backbone's stem: at initialisation
        # the STN's last layer is zero, so no gradient reaches its convs.)
        assert convs[-1].weight.grad[:, -1:].abs().sum() > 0

    model.eval()
    batch = load_batch(pipeline_of(cfg.test_dataloader), mask_crops, 'test')
    with torch.no_grad():
        preds = model.test_step(batch)
    assert len(preds) == 2
    assert all(isinstance(p.pred_text.item, str) for p in preds)
