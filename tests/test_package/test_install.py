"""Installing mmtextknow into an existing MMOCR environment.

The package must declare ranges, never torch / torchvision or exact pins,
install nothing but itself where MMOCR's stack is present, stay valid on
Python 3.8, keep open_clip out of ``import mmtextknow``, and work through
``mim``.
"""
import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import List

import pytest

from test_tools.helpers import (  # tests/ is on sys.path
    DEMO_CONFIG, REPO_ROOT, tiny_cfg_options)

#: ``str`` methods that Python 3.8 does not have.
NEWER_STR_METHODS = ('removeprefix', 'removesuffix')


def _run(cmd: List[str], cwd: Path = REPO_ROOT, timeout: int = 600,
         **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, **env))


def _copy_checkout(dst: Path) -> Path:
    """The tracked files of the repository (what a clone has) under dst."""
    files = subprocess.run(['git', 'ls-files'], cwd=REPO_ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    for name in files:
        target = dst / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)
    return dst


@pytest.fixture(scope='module')
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout."""
    if shutil.which('git') is None or not (REPO_ROOT / '.git').exists():
        pytest.skip('needs a git checkout')
    root = tmp_path_factory.mktemp('wheel')
    src = _copy_checkout(root / 'src')
    proc = _run([sys.executable, '-m', 'pip', 'wheel', '--no-deps',
                 '--no-build-isolation', '-q', '-w',
                 str(root / 'dist'), str(src)])
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (path, ) = (root / 'dist').glob('mmtextknow-*.whl')
    return path


def _metadata(wheel_path: Path):
    with zipfile.ZipFile(wheel_path) as zf:
        name = next(n for n in zf.namelist()
                    if n.endswith('.dist-info/METADATA'))
        return Parser().parsestr(zf.read(name).decode())


def test_wheel_declares_ranges_without_torch(wheel):
    meta = _metadata(wheel)
    requires = [
        r for r in meta.get_all('Requires-Dist') if 'extra ==' not in r
    ]
    names = {r.split(';')[0].split('<')[0].split('>')[0].split('=')[0]
             .split('!')[0].strip().lower() for r in requires}
    assert not names & {'torch', 'torchvision', 'mmcv', 'mmcv-full'}
    assert not [r for r in requires if '==' in r], requires
    assert {'mmengine', 'mmdet', 'mmocr', 'numpy',
            'open-clip-torch'} <= {n.replace('_', '-') for n in names}
    assert meta['Requires-Python'] == '>=3.8'


def test_wheel_carries_mim_files(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for path in ('mmtextknow/.mim/tools/train.py',
                 'mmtextknow/.mim/tools/test.py', 'mmtextknow/.mim/' +
                 DEMO_CONFIG, 'mmtextknow/.mim/dicts/lower_english_digits.txt'):
        assert path in names


def test_install_over_this_environment_adds_only_mmtextknow(tmp_path):
    """``pip install -e .`` (dry run, no index) resolves every requirement
    from what is installed: nothing but mmtextknow would be installed."""
    report = tmp_path / 'report.json'
    proc = _run([sys.executable, '-m', 'pip', 'install', '--dry-run',
                 '--no-index', '--no-build-isolation', '-q', '--report',
                 str(report), '-e', str(REPO_ROOT)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    installed = [
        item['metadata']['name'].lower()
        for item in json.loads(report.read_text())['install']
    ]
    assert installed == ['mmtextknow']


def _python38():
    for candidate in (shutil.which('python3.8'),
                      Path.home() / '.pyenv/versions/3.8.18/bin/python3.8'):
        if candidate and Path(candidate).exists():
            proc = _run([str(candidate), '--version'])
            if proc.returncode == 0:
                return str(candidate)
    return None


def test_sources_compile_on_python38(tmp_path):
    python38 = _python38()
    if python38 is None:
        pytest.skip('no python3.8 on this machine')
    proc = _run([python38, '-m', 'compileall', '-q', '-x', r'\.mim',
                 'mmtextknow', 'tools', 'setup.py'],
                PYTHONPYCACHEPREFIX=str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-3000:]


def _runtime_annotations_newer_than_38(tree: ast.AST) -> List[int]:
    """Lines of annotations Python 3.8 cannot evaluate (``list[int]``,
    ``int | None``) in a module without postponed annotations."""
    lines = []
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            every = (args.posonlyargs + args.args + args.kwonlyargs +
                     [a for a in (args.vararg, args.kwarg) if a])
            annotations = [a.annotation for a in every if a.annotation]
            annotations += [node.returns] if node.returns else []
        elif isinstance(node, ast.AnnAssign):
            annotations = [node.annotation]
        for annotation in annotations:
            for sub in ast.walk(annotation):
                builtin_generic = (
                    isinstance(sub, ast.Subscript)
                    and isinstance(sub.value, ast.Name) and sub.value.id
                    in ('list', 'dict', 'tuple', 'set', 'frozenset', 'type'))
                union = isinstance(sub, ast.BinOp) and isinstance(
                    sub.op, ast.BitOr)
                if builtin_generic or union:
                    lines.append(sub.lineno)
    return lines


def test_sources_use_nothing_newer_than_python38():
    problems = []
    for path in sorted([*REPO_ROOT.glob('mmtextknow/**/*.py'),
                        *REPO_ROOT.glob('tools/**/*.py')]):
        if '.mim' in path.parts:
            continue
        source = path.read_text(encoding='utf-8')
        tree = ast.parse(source)
        rel = path.relative_to(REPO_ROOT)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute)
                    and node.attr in NEWER_STR_METHODS):
                problems.append(f'{rel}:{node.lineno}: str.{node.attr}')
        if 'from __future__ import annotations' not in source:
            problems += [
                f'{rel}:{line}: annotation needs Python >= 3.9'
                for line in _runtime_annotations_newer_than_38(tree)
            ]
    assert not problems, '\n'.join(problems)


def test_import_does_not_load_open_clip():
    code = ('import sys, mmtextknow; '
            'print(sorted(m for m in sys.modules '
            'if m.split(".")[0] in ("open_clip", "timm")))')
    proc = _run([sys.executable, '-c', code])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == '[]'


def _tool_scripts() -> List[Path]:
    return sorted(p for p in (REPO_ROOT / 'tools').rglob('*.py'))


def _mmtextknow_import_lines(tree: ast.AST) -> List[int]:
    """Lines of every ``import mmtextknow...`` / ``from mmtextknow...``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or '']
        else:
            continue
        if any(name.split('.')[0] == 'mmtextknow' for name in names):
            lines.append(node.lineno)
    return lines


def test_every_tool_puts_its_clone_first_on_sys_path():
    """Each tool that imports mmtextknow inserts the repository root into
    ``sys.path`` (at module level) before its first such import."""
    wrong = []
    for path in _tool_scripts():
        source = path.read_text(encoding='utf-8')
        tree = ast.parse(source)
        imports = _mmtextknow_import_lines(tree)
        if not imports:
            continue
        inserted_at = None
        for node in tree.body:
            text = ast.get_source_segment(source, node) or ''
            if 'sys.path.insert(0' in text:
                depth = int(text.split('parents[')[1].split(']')[0])
                assert path.resolve().parents[depth] == REPO_ROOT, path
                inserted_at = node.lineno
                break
        if inserted_at is None or min(imports) < inserted_at:
            wrong.append(str(path.relative_to(REPO_ROOT)))
    assert not wrong, wrong


def test_tool_runs_this_clone_not_another_copy(tmp_path):
    """A decoy ``mmtextknow`` earlier on PYTHONPATH (another clone's
    editable install) is not what a tool imports."""
    decoy = tmp_path / 'decoy' / 'mmtextknow'
    decoy.mkdir(parents=True)
    (decoy / '__init__.py').write_text(
        'raise ImportError("decoy mmtextknow imported")\n')
    code = ('import runpy, sys; sys.argv = ["crop_words.py", "--help"]; '
            f'runpy.run_path({str(REPO_ROOT / "tools/dataset_converters/crop_words.py")!r},'
            ' run_name="__main__")')
    proc = _run([sys.executable, '-c', code], cwd=tmp_path,
                PYTHONPATH=str(tmp_path / 'decoy'))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'decoy' not in proc.stderr
    assert 'usage' in proc.stdout


def test_mim_train_runs_the_installed_package(wheel, tiny_toy_data,
                                              tmp_path):
    """``mim train mmtextknow CONFIG`` finds the installed package's
    ``.mim/tools/train.py`` and trains (an installed, non-editable copy)."""
    mim = Path(sys.executable).with_name('mim')
    if not mim.exists():
        pytest.skip('openmim is not installed')
    site = tmp_path / 'site'
    proc = _run([sys.executable, '-m', 'pip', 'install', '--no-deps', '-q',
                 '--target', str(site), str(wheel)])
    assert proc.returncode == 0, proc.stderr[-2000:]
    work_dir = tmp_path / 'work'
    proc = _run([str(mim), 'train', 'mmtextknow', DEMO_CONFIG, '--work-dir',
                 str(work_dir)] + tiny_cfg_options(tiny_toy_data),
                PYTHONPATH=str(site))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert str(site / 'mmtextknow' / '.mim' / 'tools' / 'train.py') in out
    assert list(work_dir.glob('epoch_1.pth'))
