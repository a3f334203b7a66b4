"""Per-run dump paths of TextPixelMetric: ``{log_dir}`` / ``{timestamp}``
are filled from the running runner's logger, so two runs keep two dumps
that ``tools/analysis_tools/textseg_f1_top1.py`` reads."""
import importlib.util
import json
from pathlib import Path

import pytest
import torch
from mmengine.logging import MMLogger
from mmengine.structures import PixelData

from mmtextknow.evaluation.metrics import TextPixelMetric, f1_top1_rate
from mmtextknow.structures import TextSegDataSample

REPO_ROOT = Path(__file__).resolve().parents[2]


def _samples(preds):
    samples = []
    gt = torch.tensor([[[1, 1, 0, 0]]], dtype=torch.uint8)
    for name, pred in zip('ab', preds):
        sample = TextSegDataSample(
            metainfo=dict(img_path=f'{name}.jpg', has_pixel_mask=True))
        sample.gt_pixel_mask = PixelData(data=gt)
        sample.pred_pixel_mask = PixelData(
            data=torch.tensor([[pred]], dtype=torch.uint8))
        samples.append(sample)
    return samples


def _run(work_dir: Path, timestamp: str, preds) -> str:
    """What a runner does: its logger writes work_dir/timestamp/ts.log."""
    log_file = work_dir / timestamp / f'{timestamp}.log'
    log_file.parent.mkdir(parents=True)
    MMLogger.get_instance(f'dump_test_{timestamp}', log_file=str(log_file))
    metric = TextPixelMetric(dump_per_image='{log_dir}/per_image.json')
    metric.process({}, _samples(preds))
    metric.compute_metrics(metric.results)
    return metric.dump_path()


def test_two_runs_write_two_dumps_the_tool_reads(tmp_path, capsys):
    work_dir = tmp_path / 'work_dirs' / 'mgnet'
    path_a = _run(work_dir, '20260101_000001', [[1, 1, 0, 0], [1, 0, 0, 0]])
    path_b = _run(work_dir, '20260101_000002', [[1, 0, 0, 0], [1, 1, 1, 0]])
    assert path_a == str(work_dir / '20260101_000001' / 'per_image.json')
    assert path_b == str(work_dir / '20260101_000002' / 'per_image.json')
    a, b = json.loads(Path(path_a).read_text()), json.loads(
        Path(path_b).read_text())
    # a: F1 1 and 2/3; b: F1 2/3 and 4/5 -> A wins image a, B image b
    assert [i['F1'] for i in a['images']] == pytest.approx([1, 2 / 3])
    assert [i['F1'] for i in b['images']] == pytest.approx([2 / 3, 4 / 5])
    assert f1_top1_rate(path_a, path_b) == 0.5
    spec = importlib.util.spec_from_file_location(
        'textseg_f1_top1',
        REPO_ROOT / 'tools' / 'analysis_tools' / 'textseg_f1_top1.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    capsys.readouterr()  # the metric's log lines
    tool.main([path_a, path_b, '--names', 'A', 'B'])
    assert capsys.readouterr().out.split('\n')[:2] == [
        'A\tF1 Top-1 50.00%', 'B\tF1 Top-1 50.00%'
    ]


def test_timestamp_without_runner_and_log_dir_error(tmp_path):
    MMLogger.get_instance('dump_test_no_runner')  # no log file
    metric = TextPixelMetric(
        dump_per_image=str(tmp_path / 'per_image_{timestamp}.json'))
    path = metric.dump_path()
    stamp = Path(path).stem[len('per_image_'):]
    assert len(stamp) == 15 and stamp[8] == '_' and stamp.replace(
        '_', '').isdigit()
    with pytest.raises(ValueError, match='log_dir'):
        TextPixelMetric(dump_per_image='{log_dir}/x.json').dump_path()
