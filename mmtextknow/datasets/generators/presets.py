# Copyright (c) mmtextknow contributors. All rights reserved.
"""Named option sets of the scene-text generator and word-list reading.

``toy``: the bundled toy data (the :class:`SceneTextGeneratorConfig`
defaults: clutter, noise, rotated and curved words of a 26-word
vocabulary). ``synthwords``: the first stage of the TPN spotter's curriculum
(Li et al., ICCV 2017: synthetic images of words from the 90k generic
lexicon with a simple appearance): horizontal words from a user-supplied
word list on plain gradient backgrounds without clutter, little noise, no
blur.
"""
import dataclasses
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple, Union

from .config import SceneTextGeneratorConfig
from .fonts import word_fits

#: ``preset -> (generator options, default number of train / test images)``.
PRESETS: Dict[str, Tuple[dict, Dict[str, int]]] = {
    'toy': (dict(), dict(train=96, test=24)),
    'synthwords': (dict(
        img_size=(480, 320),
        words_per_image=(1, 4),
        font_size=(0.08, 0.2),
        shape_probs=dict(horizontal=1.0),
        num_clutter=(0, 0),
        noise_std=(0.0, 3.0),
        blur_prob=0.0), dict(train=48000, test=0)),
}


def preset_options(name: str) -> dict:
    """A copy of the generator options of preset ``name``.

    Raises:
        ValueError: On an unknown preset.
    """
    if name not in PRESETS:
        raise ValueError(f'unknown preset {name!r}; expected one of '
                         f'{sorted(PRESETS)}')
    return dict(PRESETS[name][0])


def read_word_list(path: Union[str, Path]) -> Tuple[List[str], Counter]:
    """The words of a word-list file, one per line (the 90k generic lexicon
    ``lexicon.txt`` of MJSynth, ICDAR 2015's ``GenericVocabulary.txt``, or
    any list): UTF-8 with or without BOM, LF or CRLF, each line stripped,
    duplicates kept once (first occurrence).

    Returns:
        tuple[list[str], Counter]: The words in file order and the skipped
        lines by reason (``'blank'``, ``'duplicate'``, ``'not printable or
        with inner spaces'``).

    Raises:
        FileNotFoundError: If ``path`` is not a file.
        ValueError: If it is not UTF-8 or holds no word.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f'word list not found: {path}')
    try:
        lines = path.read_text(encoding='utf-8-sig').splitlines()
    except UnicodeDecodeError as e:
        raise ValueError(f'word list {path} is not UTF-8: {e}') from None
    words, seen, skipped = [], set(), Counter()
    for line in lines:
        word = line.strip()
        if not word:
            skipped['blank'] += 1
        elif not word.isprintable() or len(word.split()) != 1:
            skipped['not printable or with inner spaces'] += 1
        elif word in seen:
            skipped['duplicate'] += 1
        else:
            seen.add(word)
            words.append(word)
    if not words:
        raise ValueError(f'word list {path} holds no word')
    return words, skipped


def with_word_list(cfg: SceneTextGeneratorConfig, words: List[str]
                   ) -> Tuple[SceneTextGeneratorConfig, int]:
    """``cfg`` with ``words`` as its vocabulary, without the words too wide
    for the image at the smallest font size.

    Returns:
        tuple: The new options and the number of words left out.

    Raises:
        ValueError: If no word fits.
    """
    lo_px, _ = cfg.font_px_range()
    fitting = [
        w for w in words
        if word_fits(w, lo_px, cfg.width, cfg.polygon_padding)
    ]
    if not fitting:
        raise ValueError(f'no word fits an image {cfg.width} wide at '
                         f'{lo_px} px')
    return dataclasses.replace(cfg, vocabulary=tuple(fitting)), \
        len(words) - len(fitting)
