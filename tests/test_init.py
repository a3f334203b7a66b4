"""Importing mmtextknow registers its components into MMOCR's registries."""
import subprocess
import sys

from mmocr.registry import DATASETS, TRANSFORMS


def test_components_are_registered_in_mmocr_registries():
    import mmtextknow
    assert mmtextknow.__version__
    assert DATASETS.get('CheckedOCRDataset') is not None
    assert TRANSFORMS.get('LoadTextMasks') is not None


def test_custom_imports_registers_in_a_fresh_interpreter(tmp_path):
    config = tmp_path / 'cfg.py'
    config.write_text("custom_imports = dict(imports=['mmtextknow'], "
                      'allow_failed_imports=False)\n')
    code = ('import sys\n'
            'from mmengine.config import Config\n'
            'from mmocr.registry import DATASETS\n'
            "assert 'mmtextknow' not in sys.modules\n"
            "assert DATASETS.get('CheckedOCRDataset') is None\n"
            f'Config.fromfile({str(config)!r})\n'
            "assert DATASETS.get('CheckedOCRDataset') is not None\n")
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
