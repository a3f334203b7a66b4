"""tools/analysis_tools/benchmark_tcm.py on the toy TCM-DBNet and the toy
DBNet at 128 x 128 (one timed round: only the structure of the results,
positive times and the ratios are checked, not the speeds)."""
import importlib.util
import json

import numpy as np
import pytest
import torch
from mmengine.logging import MMLogger

from .helpers import DEMO_CONFIG, REPO_ROOT, run_tool

TOOL = 'tools/analysis_tools/benchmark_tcm.py'
TCM_TOY = 'configs/textdet/tcm/tcm-dbnet_clip-tiny_fpnc_8e_toy.py'
TINY = ['--tcm-config', TCM_TOY, '--dbnet-config', DEMO_CONFIG, '--size',
        '128', '160', '--train-size', '96', '128', '--repeats', '1',
        '--warmup', '0', '--device', 'cpu', '--threads', '1']


def _load_tool():
    spec = importlib.util.spec_from_file_location('benchmark_tcm',
                                                  REPO_ROOT / TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def _check_model(result, modules):
    assert [row['module'] for row in result['modules']] == modules
    assert result['params_m'] > 0
    for key in ('inference_ms', 'fps', 'train_step_ms',
                'train_images_per_s', 'modules_sum_ms'):
        assert result[key] > 0, key
    assert all(row['median_ms'] > 0 for row in result['modules'])
    assert result['inference_ms'] == pytest.approx(
        float(np.median(result['inference_times_ms'])))
    assert result['train_step_ms'] == pytest.approx(
        float(np.median(result['train_step_times_ms'])))
    assert all(np.isfinite(v) for v in result['last_losses'].values())


def test_benchmark_tcm_json(tmp_path):
    out = tmp_path / 'tcm.json'
    proc = run_tool([TOOL] + TINY + ['--json', str(out)], timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'torch threads: 1' in proc.stdout
    assert 'TCM/DBNet' in proc.stdout and 'train step ms' in proc.stdout

    results = json.loads(out.read_text())
    assert results['size'] == [128, 160] and results['threads'] == 1
    assert results['train_size'] == [96, 128]
    assert 'inference input 128 x 160' in proc.stdout
    assert 'training input 96 x 128' in proc.stdout
    assert results['batch'] == 1 and results['train_batch'] == 2
    assert results['repeats'] == 1 and results['warmup'] == 0
    assert not results['with_postprocess'] and results['with_train']
    tcm, dbnet = results['models']['TCM'], results['models']['DBNet']
    _check_model(tcm, ['backbone', 'prompt_maps', 'attention pool',
                       '(value path instead)', 'text encoder',
                       'neck (+ score concat)', 'head (raw outputs)'])
    _check_model(dbnet, ['backbone', 'neck', 'head (raw outputs)'])
    assert 'loss_ilm' in tcm['last_losses']
    assert 0 < tcm['tcm_modules_params_m'] < tcm['params_m']
    # the indented rows are parts of prompt_maps, not of the sum
    rows = {row['module']: row for row in tcm['modules']}
    for part in ('attention pool', '(value path instead)', 'text encoder'):
        assert not rows[part]['in_sum']
    assert tcm['modules_sum_ms'] == pytest.approx(sum(
        row['median_ms'] for row in tcm['modules'] if row['in_sum']))

    ratios = results['ratios_tcm_dbnet']
    assert ratios['inference_latency'] == pytest.approx(
        tcm['inference_ms'] / dbnet['inference_ms'])
    assert ratios['fps'] == pytest.approx(tcm['fps'] / dbnet['fps'])
    assert ratios['fps'] == pytest.approx(1 / ratios['inference_latency'])
    assert ratios['train_step'] == pytest.approx(
        tcm['train_step_ms'] / dbnet['train_step_ms'])


def test_benchmark_tcm_with_postprocess_in_process(capsys, monkeypatch):
    tool = _load_tool()
    shapes = []
    train_step, infer = tool.Bench.train_step, tool.Bench.infer

    def record_train(self):
        shapes.append(('train', tuple(self.train_inputs.shape)))
        return train_step(self)

    def record_infer(self):
        shapes.append(('infer', tuple(self.infer_inputs.shape)))
        return infer(self)

    monkeypatch.setattr(tool.Bench, 'train_step', record_train)
    monkeypatch.setattr(tool.Bench, 'infer', record_infer)
    threads = torch.get_num_threads()
    try:
        summary = tool.main(TINY + ['--with-postprocess', '--batch', '2',
                                    '--train-batch', '1'])
    finally:
        torch.set_num_threads(threads)
        MMLogger.get_instance('mmengine')  # current again (INFO level)
    assert 'predict, incl. postprocess' in capsys.readouterr().out
    # inference at --size, the training step at --train-size
    assert set(shapes) == {('infer', (2, 3, 128, 160)),
                           ('train', (1, 3, 96, 128))}
    assert summary['with_postprocess'] and summary['batch'] == 2
    for result in summary['models'].values():
        assert result['modules'][-1]['module'] == 'postprocess'
        assert result['fps'] == pytest.approx(
            2e3 / result['inference_ms'])
        assert result['train_images_per_s'] == pytest.approx(
            1e3 / result['train_step_ms'])


def test_benchmark_tcm_no_train_in_process(capsys, monkeypatch):
    tool = _load_tool()
    steps = []
    monkeypatch.setattr(tool.Bench, 'train_step',
                        lambda self: steps.append(self.name))
    threads = torch.get_num_threads()
    try:
        summary = tool.main(TINY + ['--no-train'])
    finally:
        torch.set_num_threads(threads)
        MMLogger.get_instance('mmengine')  # current again (INFO level)
    out = capsys.readouterr().out
    assert steps == []  # no training step was run
    assert 'no training step' in out and 'train step ms' not in out
    assert not summary['with_train']
    assert summary['ratios_tcm_dbnet']['train_step'] is None
    for result in summary['models'].values():
        assert result['train_step_ms'] is None
        assert result['train_step_times_ms'] == []
        assert result['inference_ms'] > 0


@pytest.mark.parametrize('option', ['--size', '--train-size'])
def test_sizes_must_be_multiples_of_32(option, capsys):
    tool = _load_tool()
    with pytest.raises(SystemExit) as exit_info:
        tool.parse_args([option, '640', '630'])
    assert exit_info.value.code == 2
    assert f'{option} must be positive multiples of 32' in \
        capsys.readouterr().err


def test_generated_samples():
    tool = _load_tool()
    samples = tool.make_data_samples(2, (96, 128), np.random.default_rng(0))
    assert len(samples) == 2
    for sample in samples:
        assert sample.img_shape == (96, 128)
        assert sample.batch_input_shape == (96, 128)
        inst = sample.gt_instances
        assert len(inst.polygons) == tool.NUM_POLYGONS
        assert inst.ignored.dtype == torch.bool and inst.ignored.sum() == 1
        for poly in inst.polygons:
            assert poly.dtype == np.float32 and poly.shape == (8, )
            assert (poly[0::2] >= 0).all() and (poly[0::2] <= 127).all()
            assert (poly[1::2] >= 0).all() and (poly[1::2] <= 95).all()


def test_missing_config_is_one_line(tmp_path, capsys, monkeypatch):
    tool = _load_tool()
    monkeypatch.setattr('sys.argv', [TOOL, '--dbnet-config',
                                     str(tmp_path / 'nope.py')])
    with pytest.raises(SystemExit) as exit_info:
        tool.run_cli(tool.main)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and 'nope.py' in err
