# Copyright (c) mmtextknow contributors. All rights reserved.
"""Synthetic dataset generators."""
from .scene_text import (DEFAULT_VOCABULARY, SHAPES, SceneTextGenerator,
                         SceneTextGeneratorConfig, SceneTextSample,
                         WordLayout, generate_dataset, make_rng,
                         rasterize_polygons)

__all__ = [
    'DEFAULT_VOCABULARY', 'SHAPES', 'SceneTextGenerator',
    'SceneTextGeneratorConfig', 'SceneTextSample', 'WordLayout',
    'generate_dataset', 'make_rng', 'rasterize_polygons'
]
