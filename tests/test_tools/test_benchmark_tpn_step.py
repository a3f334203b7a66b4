"""tools/analysis_tools/benchmark_tpn_step.py on the toy config, tiny inputs.

Timings are not asserted (one thread, one round): the variants' rows, their
ratios to the first row and the profiled roi_align shares are."""
import re

from .helpers import run_tool

TOOL = 'tools/analysis_tools/benchmark_tpn_step.py'
TOY = 'configs/textspot/tpn/tpn_vgg16-x0.25_12e_toy.py'


def test_benchmark_tpn_step_rows_and_profile():
    proc = run_tool([
        TOOL, TOY, '--size', '96', '--batch', '1', '--words', '2',
        '--repeats', '1', '--warmup', '0', '--threads', '1', '--device',
        'cpu', '--strategies', 'group', '--trn-regions', 'positives', 'gt',
        '--profile'
    ], timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'TPN training step, batch 1, 96x96, 2 words per image' in \
        proc.stdout
    rows = re.findall(
        r'strategy=(\w+) +trn_regions=(\w+) +step +([0-9.]+) ms +\(([0-9.]+)x'
        r' the first row\) +roi_align share ([0-9.]+)%', proc.stdout)
    assert [(r[0], r[1]) for r in rows] == [('group', 'positives'),
                                            ('group', 'gt')]
    assert float(rows[0][3]) == 1.0
    for _, _, step_ms, _, share in rows:
        assert float(step_ms) > 0
        assert 0 < float(share) < 100


def test_benchmark_tpn_step_rejects_unknown_variant():
    proc = run_tool([TOOL, TOY, '--strategies', 'fast'], timeout=120)
    assert proc.returncode == 2
    assert "invalid choice: 'fast'" in proc.stderr
