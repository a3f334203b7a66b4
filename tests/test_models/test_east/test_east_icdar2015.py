"""EAST's decoding on real ICDAR 2015 images and ground truth (the shared
sample): perfect QUAD maps made from the resized ground truth decode,
through the IC15 config's test pipeline at a resize scale != 1 and
MMOCR's HmeanIOUMetric, to the ground truth in original coordinates."""
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.evaluation import HmeanIOUMetric
from mmocr.registry import DATASETS

import mmtextknow  # noqa: F401
from mmtextknow.datasets.converters import convert_icdar_txt
from mmtextknow.models.textdet.east import EASTPostprocessor, EASTTargets

REPO_ROOT = Path(__file__).resolve().parents[3]
CONFIG = (REPO_ROOT / 'configs/textdet/east/'
          'east_resnet50_unet_600e_icdar2015.py')


def test_perfect_quad_maps_on_icdar2015_score_one(shared_data, tmp_path):
    toy = shared_data / 'icdar2015_toy'
    if not (toy / 'imgs').is_dir():
        pytest.skip(f'{toy} has no images')
    convert_icdar_txt(toy / 'imgs', toy / 'annotations',
                      tmp_path / 'test.json', img_root=toy, progress=False)
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(CONFIG))
    dataset_cfg = cfg.test_dataloader.dataset
    # 1280 x 720 -> 1000 x 562: scale 0.78125 on non-square images
    dataset_cfg.pipeline[1].scale = (1000, 1000)
    dataset_cfg.update(type='OCRDataset', data_root=str(toy),
                       ann_file=str(tmp_path / 'test.json'))
    dataset = DATASETS.build(dataset_cfg)
    targets = EASTTargets('QUAD')
    post = EASTPostprocessor(geometry='QUAD')
    metric = HmeanIOUMetric()
    for k in range(len(dataset)):
        sample = dataset[k]['data_samples']
        h, w = sample.img_shape
        shape = ((h + 31) // 32 * 8, (w + 31) // 32 * 8)  # padded / 4
        scale = np.array(sample.scale_factor)
        gt = sample.gt_instances
        polys = [np.asarray(p).reshape(-1, 2) * scale for p in gt.polygons]
        t = targets.single(polys, list(gt.ignored.numpy()), shape, 4)
        logits = torch.from_numpy(t['score'] * 2 - 1)[None, None] * 20
        geo = torch.from_numpy(t['geometry'])[None]
        metric.process({}, [post([logits, geo], [sample])[0].to_dict()])
    result = metric.compute_metrics(metric.results)
    # Every decoded quad is a ground-truth quad: precision 1. A word is
    # missed only if its shrunk quad (0.4 of its height at most) covers no
    # cell centre of the stride-4 grid.
    assert result['precision'] == pytest.approx(1.0)
    assert result['recall'] > 0.9
