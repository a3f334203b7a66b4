"""Learning test: MGNet trained for a few CPU minutes on generated data,
semi-supervised (half of the training images without pixel-level ground
truth), through tools/train.py and tools/test.py, must beat the all-text
baseline clearly on held-out generated images.
"""
import pytest

from test_learning.textseg_learning import train_on_generated_data

CONFIG = 'configs/textseg/mgnet/mgnet_vgg-x0.25_12e_toy.py'


@pytest.mark.learning
def test_mgnet_beats_all_text_baseline(tmp_path):
    out, f1, baseline = train_on_generated_data(tmp_path, CONFIG, 11, [
        'train_cfg.max_epochs=10', 'train_cfg.val_interval=10',
        'custom_hooks.0.switch_epoch=5', 'param_scheduler.0.milestones=[5]',
        'default_hooks.checkpoint.interval=10'
    ])
    assert 'MGNet stage 2 from iteration' in out
    assert 'loss_crf' in out and 'loss_subset' in out
    assert f1 > 3 * baseline
