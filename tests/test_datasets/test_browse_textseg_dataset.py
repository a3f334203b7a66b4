"""MMOCR's ``tools/analysis_tools/browse_dataset.py`` on a textseg config.

The tool (MMOCR 1.x) wraps the dataset pipeline in ``InspectCompose``:
after every transform it sets the LAST transform's ``meta_keys`` to every
key of the results and calls it, then draws each packed sample with the
config's visualiser (``add_datasample(..., draw_gt=True)``) from
``datasample.img``. The packer must therefore skip its own data fields
among the meta keys. This test runs the same steps on the toy MGNet
config's training pipeline (the tool's ``tools/`` folder is not part of the
installed package).
"""
from pathlib import Path

import numpy as np
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS, VISUALIZERS

import mmtextknow  # noqa: F401 (registers the components)
from mmtextknow.datasets.transforms import PackTextSegInputs

CONFIG = (Path(__file__).resolve().parents[2] / 'configs' / 'textseg' /
          'mgnet' / 'mgnet_vgg-x0.25_12e_toy.py')


def test_browse_dataset_steps_on_mgnet_toy_pipeline(tiny_toy_data, tmp_path):
    cfg = Config.fromfile(str(CONFIG))
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    dataset_cfg = cfg.train_dataloader.dataset
    dataset_cfg.data_root = str(tiny_toy_data)
    dataset = DATASETS.build(dataset_cfg)
    visualizer_cfg = cfg.visualizer.copy()
    visualizer_cfg['name'] = 'browse_textseg_test'
    visualizer_cfg['save_dir'] = str(tmp_path)
    visualizer = VISUALIZERS.build(visualizer_cfg)
    visualizer.dataset_meta = dataset.metainfo

    transforms = dataset.pipeline.transforms
    packer = transforms[-1]
    assert isinstance(packer, PackTextSegInputs)
    data = dict(dataset.get_data_info(0))
    drawn = 0
    for transform in transforms[:-1]:
        data = transform(data)
        if data is None:
            break
        packer.meta_keys = [key for key in data]
        sample = packer(data)['data_samples']
        assert 'img' in sample.metainfo
        # the masks are data fields, never metainfo
        for key in ('gt_pixel_mask', 'gt_polygon_mask'):
            assert key not in sample.metainfo_keys()
            if key in data:
                assert key in sample.keys()
        assert isinstance(sample.has_pixel_mask, bool)
        image = sample.img[..., [2, 1, 0]]
        shown = visualizer.add_datasample(
            'result', image, sample, draw_pred=False, draw_gt=True,
            show=False)
        assert shown.shape[0] == image.shape[0] and shown.dtype == np.uint8
        drawn += 1
    assert drawn == len(transforms) - 1
