"""Registered names: none of ours is also a name in another OpenMMLab code base.

A config written for mmdet / mmseg / mmpretrain (``default_scope`` of that
package, or ``type='mmdet.X'``) must never build one of our classes by
accident, nor ours one of theirs. Checked over the registries of every code
base that is installed here (mmengine, mmcv, mmdet, mmocr's own; mmseg and
mmpretrain when present).
"""
import importlib
from typing import Dict, Set

import pytest
from mmengine.registry import Registry
from mmocr import registry as mmocr_registry

import mmtextknow  # noqa: F401  (registers our components)

#: Registry kinds our components live in (attribute names of the
#: ``<package>.registry`` modules).
KINDS = ('MODELS', 'TRANSFORMS', 'DATASETS', 'METRICS', 'HOOKS',
         'VISUALIZERS', 'TASK_UTILS', 'OPTIM_WRAPPER_CONSTRUCTORS',
         'OPTIMIZERS', 'DATA_SAMPLERS', 'LOOPS')

OTHER_CODEBASES = ('mmengine', 'mmdet', 'mmseg', 'mmpretrain')

#: Names that code bases not installed here register, checked by hand in
#: their sources: mmseg 1.x ``mmseg/models/text_encoder/clip_text_encoder.py``.
KNOWN_ELSEWHERE = {'MODELS': {'CLIPTextEncoder'}}


def our_names() -> Dict[str, Set[str]]:
    """The names each mmocr registry holds for classes of mmtextknow."""
    names = {}
    for kind in KINDS:
        registry = getattr(mmocr_registry, kind, None)
        if registry is None:
            continue
        names[kind] = {
            name
            for name, obj in registry.module_dict.items()
            if getattr(obj, '__module__', '').startswith('mmtextknow')
        }
    return names


def registered_names(codebase: str, kind: str) -> Set[str]:
    """The names in ``codebase``'s registry of ``kind`` (after importing the
    code base's modules that register)."""
    module = importlib.import_module(f'{codebase}.registry')
    registry = getattr(module, kind, None)
    if not isinstance(registry, Registry):
        return set()
    registry.import_from_location()
    return set(registry.module_dict)


def test_we_register_components():
    names = our_names()
    assert len(names['MODELS']) > 40
    assert 'TextPixelMetric' in names['METRICS']


@pytest.mark.parametrize('codebase', OTHER_CODEBASES)
def test_no_name_collides_with_another_codebase(codebase):
    pytest.importorskip(codebase)
    clashes = {}
    for kind, ours in our_names().items():
        theirs = registered_names(codebase, kind)
        common = sorted(ours & theirs)
        if common:
            clashes[kind] = common
    assert not clashes, (
        f'names registered by mmtextknow and by {codebase}: {clashes}')


def test_no_name_collides_with_known_names_elsewhere():
    ours = our_names()
    clashes = {
        kind: sorted(ours.get(kind, set()) & names)
        for kind, names in KNOWN_ELSEWHERE.items()
    }
    assert not any(clashes.values()), clashes
