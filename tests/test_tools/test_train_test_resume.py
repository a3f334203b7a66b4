"""train -> checkpoint -> test -> resume, through tools/*.py as users run them."""
from pathlib import Path

import pytest

from .helpers import DEMO_CONFIG, run_tool, tiny_cfg_options


@pytest.fixture(scope='module')
def trained(tiny_toy_data, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('train')
    proc = run_tool(['tools/train.py', DEMO_CONFIG, '--work-dir',
                     str(work_dir)] + tiny_cfg_options(tiny_toy_data))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return work_dir, proc


def test_train_writes_checkpoint_and_validates(trained):
    work_dir, proc = trained
    assert (work_dir / 'epoch_1.pth').is_file()
    assert (work_dir / 'last_checkpoint').is_file()
    assert 'icdar/hmean' in proc.stdout + proc.stderr


def test_test_tool_loads_checkpoint_and_reports_metrics(
        trained, tiny_toy_data, tmp_path):
    work_dir, _ = trained
    proc = run_tool(['tools/test.py', DEMO_CONFIG,
                     str(work_dir / 'epoch_1.pth'), '--work-dir',
                     str(tmp_path), '--save-preds'] +
                    tiny_cfg_options(tiny_toy_data))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert 'Load checkpoint from' in out
    assert 'icdar/hmean' in out
    assert (tmp_path / 'epoch_1.pth_predictions.pkl').is_file()


def test_resume_continues_from_last_checkpoint(trained, tiny_toy_data):
    work_dir, _ = trained
    proc = run_tool(['tools/train.py', DEMO_CONFIG, '--work-dir',
                     str(work_dir), '--resume'] +
                    tiny_cfg_options(tiny_toy_data, max_epochs=2))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert 'resumed epoch: 1' in out
    assert (work_dir / 'epoch_2.pth').is_file()


def test_config_from_another_folder_without_custom_imports(
        trained, tiny_toy_data, tmp_path):
    """A user config outside the repo, mmocr:: bases, no custom_imports:
    tools/test.py registers mmtextknow itself."""
    work_dir, _ = trained
    config = tmp_path / 'my_dbnet.py'
    config.write_text(f'''
_base_ = ['mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py']
model = dict(backbone=dict(init_cfg=None),
             neck=dict(lateral_channels=32, out_channels=8),
             det_head=dict(in_channels=32))
test_dataloader = dict(
    num_workers=0, persistent_workers=False, batch_size=2,
    dataset=dict(type='CheckedOCRDataset', data_root=r'{tiny_toy_data}',
                 ann_file='textdet_test.json'))
''')
    proc = run_tool(['tools/test.py', str(config),
                     str(work_dir / 'epoch_1.pth'), '--work-dir',
                     str(tmp_path / 'work')])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert 'icdar/hmean' in out


@pytest.mark.parametrize('case', ['missing_checkpoint', 'empty_annotation'])
def test_bad_input_gives_one_line_error(case, tiny_toy_data, tmp_path,
                                        trained):
    work_dir, _ = trained
    if case == 'missing_checkpoint':
        args = ['tools/test.py', DEMO_CONFIG, str(tmp_path / 'nope.pth')]
        expected = 'nope.pth: checkpoint not found'
    else:
        (tmp_path / 'textdet_test.json').write_text('')
        args = (['tools/test.py', DEMO_CONFIG, str(work_dir / 'epoch_1.pth'),
                 '--work-dir', str(tmp_path / 'work')] +
                tiny_cfg_options(tmp_path))
        expected = 'textdet_test.json: annotation file is empty'
    proc = run_tool(args)
    assert proc.returncode == 1
    assert expected in proc.stderr
    assert 'Traceback' not in proc.stderr
