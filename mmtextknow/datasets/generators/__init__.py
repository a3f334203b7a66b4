# Copyright (c) mmtextknow contributors. All rights reserved.
"""Synthetic dataset generators.

Modules: :mod:`.config` (options), :mod:`.fonts` (font and word sizes),
:mod:`.layout` (word geometry), :mod:`.background` (backgrounds, colours),
:mod:`.masks` (text masks), :mod:`.scene_text` (rendering a sample) and
:mod:`.writer` (writing a dataset).
"""
from .config import DEFAULT_VOCABULARY, SHAPES, SceneTextGeneratorConfig
from .layout import WordLayout
from .masks import rasterize_polygons
from .scene_text import SceneTextGenerator, SceneTextSample, make_rng
from .writer import generate_dataset

__all__ = [
    'DEFAULT_VOCABULARY', 'SHAPES', 'SceneTextGenerator',
    'SceneTextGeneratorConfig', 'SceneTextSample', 'WordLayout',
    'generate_dataset', 'make_rng', 'rasterize_polygons'
]
