"""Helpers of the mask-guided recognition tests: paths, generated word crops
with their pixel masks."""
import importlib.util
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
PROJECT_CONFIGS = REPO_ROOT / 'projects' / 'mask_guided_recognition' / \
    'configs'


def load_crop_words():
    """tools/dataset_converters/crop_words.py as a module."""
    path = REPO_ROOT / 'tools' / 'dataset_converters' / 'crop_words.py'
    spec = importlib.util.spec_from_file_location('crop_words_tool', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_mask_crops(root: Path, num_images: dict, img_size: int = 128,
                    seed: int = 5, **generator_options) -> Path:
    """Generate scene images, then cut their words and pixel masks out.

    Args:
        root (Path): Dataset root.
        num_images (dict): Images per split.
        img_size (int): Image size.
        seed (int): Generator seed.
        **generator_options: Other ``SceneTextGeneratorConfig`` options.

    Returns:
        Path: ``root``, with ``textrecog_<split>.json`` whose items name
        ``img_path`` and ``pixel_mask_path``.
    """
    from mmtextknow.datasets.generators import (SceneTextGeneratorConfig,
                                                generate_dataset)
    generate_dataset(
        root, num_images,
        cfg=SceneTextGeneratorConfig(
            img_size=img_size, seed=seed, **generator_options),
        progress=False)
    tool = load_crop_words()
    for split in num_images:
        tool.crop_words(str(root), f'textdet_{split}.json',
                        f'textrecog_{split}.json', with_masks=True)
    return root
