"""The documentation: links resolve, every method folder has its page and
metafile, the model index lists them, the README stays a front page."""
import re
import subprocess
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]

#: ``[text](target)``; images too. Targets with a scheme are not relative.
LINK_RE = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
FENCE_RE = re.compile(r'^(```|~~~)')


def tracked_files(*patterns: str) -> List[Path]:
    """Files git tracks or would track (untracked, not ignored); outside a
    git checkout, the files matching the patterns."""
    try:
        out = subprocess.run(
            ['git', 'ls-files', '--cached', '--others', '--exclude-standard',
             '--', *patterns],
            cwd=REPO_ROOT, check=True, capture_output=True, text=True).stdout
        paths = [REPO_ROOT / line for line in out.splitlines()]
    except (OSError, subprocess.CalledProcessError):
        # git's pathspec '*' also matches '/': 'docs/*.md' is recursive.
        paths = [p for pattern in patterns
                 for p in REPO_ROOT.glob(pattern.replace('/*', '/**/*', 1))]
    return sorted({p for p in paths if p.is_file()})


def doc_files() -> List[Path]:
    """README.md, CHANGELOG.md, docs/, the configs' and projects' pages."""
    return tracked_files('README.md', 'CHANGELOG.md', 'docs/*.md',
                         'configs/*README.md', 'projects/*README.md')


def method_folders() -> List[Path]:
    """``configs/<task>/<method>/`` folders that hold configs."""
    folders = set()
    for cfg in tracked_files('configs/*.py'):
        rel = cfg.relative_to(REPO_ROOT / 'configs').parts
        if len(rel) == 3 and not rel[0].startswith('_') \
                and not rel[1].startswith('_'):
            folders.add(cfg.parent)
    return sorted(folders)


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r'[`*_]', '', heading.strip().lower())
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def anchors(path: Path) -> set:
    """Anchors of the headings of a Markdown file (outside code fences)."""
    result, in_fence = set(), False
    for line in path.read_text(encoding='utf-8').splitlines():
        if FENCE_RE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith('#'):
            result.add(github_anchor(line.lstrip('#')))
    return result


def relative_links(path: Path) -> Iterator[Tuple[int, str]]:
    """``(line number, target)`` of the relative links outside code."""
    in_fence = False
    for number, line in enumerate(
            path.read_text(encoding='utf-8').splitlines(), 1):
        if FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for target in LINK_RE.findall(re.sub(r'`[^`]*`', '', line)):
            if re.match(r'^[a-z][a-z0-9+.-]*:', target):
                continue
            yield number, target


def test_doc_files_found():
    names = {p.relative_to(REPO_ROOT).as_posix() for p in doc_files()}
    assert {'README.md', 'CHANGELOG.md', 'docs/en/index.md'} <= names


@pytest.mark.parametrize(
    'doc', doc_files(), ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_relative_links_resolve(doc: Path):
    problems = []
    for number, target in relative_links(doc):
        file_part, _, anchor = target.partition('#')
        dest = (doc.parent / file_part).resolve() if file_part else doc
        where = f'{doc.relative_to(REPO_ROOT)}:{number}: {target}'
        if not dest.exists():
            problems.append(f'{where}: {file_part} does not exist')
        elif REPO_ROOT not in dest.parents and dest != REPO_ROOT:
            problems.append(f'{where}: points outside the repository')
        elif anchor and dest.suffix == '.md' and anchor not in anchors(dest):
            problems.append(f'{where}: no heading #{anchor} in {dest.name}')
    assert not problems, '\n'.join(problems)


def test_readme_is_a_front_page():
    text = (REPO_ROOT / 'README.md').read_text(encoding='utf-8')
    assert len(text.splitlines()) < 200
    # .ci/run runs the README's test command.
    assert 'bash tools/run_tests.sh' in text
    assert 'bash tools/run_demo.sh' in text
    assert 'bash tools/run_tests.sh' in (REPO_ROOT / '.ci' / 'run').read_text()


@pytest.mark.parametrize(
    'folder', method_folders(),
    ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_method_folder_has_page_and_metafile(folder: Path):
    assert (folder / 'README.md').is_file()
    meta = yaml.safe_load((folder / 'metafile.yml').read_text())
    collections = {c['Name'] for c in meta['Collections']}
    for collection in meta['Collections']:
        assert (REPO_ROOT / collection['README']).resolve() == \
            (folder / 'README.md').resolve()
    listed = set()
    for model in meta['Models']:
        assert model['In Collection'] in collections, model['Name']
        config = REPO_ROOT / model['Config']
        assert config.is_file(), model['Config']
        assert config.stem == model['Name']
        listed.add(config.name)
        for result in model.get('Results') or []:
            assert {'Task', 'Dataset', 'Metrics'} <= set(result), model['Name']
    configs = {p.name for p in folder.glob('*.py')
               if not p.name.startswith('_base_')}
    assert listed == configs


def test_model_index_lists_every_metafile():
    index = yaml.safe_load((REPO_ROOT / 'model-index.yml').read_text())
    imported = [REPO_ROOT / path for path in index['Import']]
    assert all(path.is_file() for path in imported)
    assert sorted(p.resolve() for p in imported) == sorted(
        (folder / 'metafile.yml').resolve() for folder in method_folders())
