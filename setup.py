import os
import os.path as osp
import shutil
import sys
from typing import List

from setuptools import find_packages, setup

#: Repository files that ``mim train/test mmtextknow ...`` looks up in the
#: installed package under ``mmtextknow/.mim``.
MIM_FILES = ('tools', 'configs', 'dicts', 'model-index.yml')


def read_version() -> str:
    namespace: dict = {}
    with open('mmtextknow/version.py', encoding='utf-8') as f:
        exec(f.read(), namespace)
    return namespace['__version__']


def read_requirements(path: str) -> List[str]:
    """The requirement lines of a file, comments stripped."""
    requirements = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                requirements.append(line)
    return requirements


def install_requires() -> List[str]:
    """runtime.txt plus the OpenMMLab ranges of mminstall.txt except mmcv.

    mmcv is left to the user (``mim install mmcv`` or a build with ops): pip
    would otherwise try to build it from source.
    """
    openmmlab = [
        req for req in read_requirements('requirements/mminstall.txt')
        if not req.startswith('mmcv')
    ]
    return read_requirements('requirements/runtime.txt') + openmmlab


def add_mim_extension() -> None:
    """Put tools, configs, dicts and model-index.yml into ``mmtextknow/.mim``.

    As in the OpenMMLab code bases: symbolic links for editable installs,
    copies when a wheel or sdist is built, nothing otherwise.
    """
    if any(cmd in sys.argv for cmd in ('develop', 'editable_wheel')):
        mode = 'symlink'
    elif any(cmd in sys.argv for cmd in ('sdist', 'bdist_wheel')):
        mode = 'copy'
    else:
        return
    repo_root = osp.dirname(osp.abspath(__file__))
    mim_root = osp.join(repo_root, 'mmtextknow', '.mim')
    os.makedirs(mim_root, exist_ok=True)
    for name in MIM_FILES:
        src = osp.join(repo_root, name)
        dst = osp.join(mim_root, name)
        if not osp.exists(src):
            continue
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim_root), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(
                '__pycache__', '*.pyc', 'work_dirs'))
        else:
            shutil.copyfile(src, dst)


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmtextknow',
        version=read_version(),
        description='Text-knowledge methods for scene-text detection, '
        'segmentation and spotting, as an MMOCR 1.x extension',
        long_description=open('README.md', encoding='utf-8').read(),
        long_description_content_type='text/markdown',
        packages=find_packages(
            exclude=('configs', 'tools', 'tests', 'projects')),
        include_package_data=True,
        python_requires='>=3.8',
        install_requires=install_requires(),
        extras_require={
            'tests': read_requirements('requirements/tests.txt'),
            'mim': read_requirements('requirements/mim.txt'),
        },
        license='Apache License 2.0',
        zip_safe=False,
    )
