"""mmtextknow: text-knowledge methods as an MMOCR 1.x extension.

Importing the package

- makes checkpoints written by mmengine loadable under torch's safe
  (``weights_only``) loading, see :mod:`mmtextknow.utils.checkpoint_compat`;
- registers every component into MMOCR's registries, so that configs with
  ``default_scope='mmocr'`` and
  ``custom_imports=dict(imports=['mmtextknow'])`` can use them.
"""
from .utils.checkpoint_compat import allow_mmengine_checkpoints
from .version import __version__

allow_mmengine_checkpoints()

# Importing the sub-packages registers their components.
from . import datasets, engine, evaluation, models  # noqa: E402,F401
from . import structures, visualization  # noqa: E402,F401
from . import apis  # noqa: E402,F401  (inferencers use the registries)

__all__ = [
    '__version__', 'apis', 'datasets', 'engine', 'evaluation', 'models',
    'structures', 'visualization'
]
