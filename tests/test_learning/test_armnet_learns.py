"""Learning test: ARM-Net (TSM + DPD + REM) trained for a few CPU minutes on
generated data through tools/train.py must beat the all-text baseline
clearly on held-out generated images.

REM's teacher here is a DAN with random weights (its attention maps still
land on the words' boxes): what is tested is that the whole segmentor,
REM's U-Net and eq. (6) included, learns; training the toy DAN first is
what tools/run_demo.sh does.
"""
import pytest

from test_learning.textseg_learning import train_on_generated_data

CONFIG = 'configs/textseg/armnet/armnet_resnet18_8e_toy.py'


@pytest.mark.learning
def test_armnet_beats_all_text_baseline(tmp_path):
    out, f1, baseline = train_on_generated_data(tmp_path, CONFIG, 12, [
        'train_cfg.max_epochs=8', 'train_cfg.val_interval=8',
        'default_hooks.checkpoint.interval=8',
        'model.rem.recognizer.checkpoint=None'
    ])
    assert 'loss_rem' in out
    assert f1 > 3 * baseline
