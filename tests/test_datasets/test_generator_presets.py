# Copyright (c) mmtextknow contributors. All rights reserved.
"""The generator's synthwords preset (TPN curriculum stage 1): words of a
user word list on simple backgrounds, through the real command line, read
by the stage-1 config's dataset."""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mmtextknow.datasets.generators import SceneTextGeneratorConfig
from mmtextknow.datasets.generators.presets import (preset_options,
                                                    read_word_list,
                                                    with_word_list)

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = REPO_ROOT / 'tools' / 'dataset_converters' / 'generate_toy_data.py'
#: A 90k-style word list (MJSynth lexicon.txt is lowercase, one per line),
#: written with a BOM, CRLF line ends, a blank line, a duplicate, an inner
#: space and a word too wide for a 480-pixel image at the smallest font.
WORDS = ['spotting', 'network', 'region', 'proposal', 'lstm', 'attention',
         'curriculum', 'lexicon']
TOO_WIDE = 'pneumonoultramicroscopicsilicovolcanoconiosis'


def cli():
    spec = importlib.util.spec_from_file_location('generate_toy_data', CLI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_lexicon(path: Path) -> Path:
    lines = WORDS[:4] + ['', 'region', 'two words', TOO_WIDE] + WORDS[4:]
    path.write_bytes(b'\xef\xbb\xbf' + '\r\n'.join(lines).encode() + b'\r\n')
    return path


def file_bytes(root: Path) -> dict:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob('*')) if p.is_file()
    }


def test_read_word_list(tmp_path):
    words, skipped = read_word_list(write_lexicon(tmp_path / 'lexicon.txt'))
    assert words == WORDS[:4] + [TOO_WIDE] + WORDS[4:]
    assert skipped == {'blank': 1, 'duplicate': 1,
                       'not printable or with inner spaces': 1}
    cfg, left_out = with_word_list(
        SceneTextGeneratorConfig(**preset_options('synthwords')), words)
    assert left_out == 1 and cfg.vocabulary == tuple(WORDS)
    (tmp_path / 'empty.txt').write_text('\n\n')
    with pytest.raises(ValueError, match='empty.txt'):
        read_word_list(tmp_path / 'empty.txt')
    (tmp_path / 'latin1.txt').write_bytes(b'caf\xe9\n')
    with pytest.raises(ValueError, match='latin1.txt'):
        read_word_list(tmp_path / 'latin1.txt')
    with pytest.raises(FileNotFoundError, match='nope.txt'):
        read_word_list(tmp_path / 'nope.txt')


def test_synthwords_preset_command(tmp_path, capsys):
    """Three images through the command: 480x320, horizontal words of the
    list only, no clutter; byte-identical on a second run; read by the
    stage-1 config's dataset (transcripts required)."""
    lexicon = write_lexicon(tmp_path / 'lexicon.txt')
    for name in ('a', 'b'):
        cli().main([
            str(tmp_path / name), '--preset', 'synthwords', '--lexicon',
            str(lexicon), '--num-train', '3', '--no-progress'
        ])
    out = capsys.readouterr().out
    assert 'train: 3 images' in out and 'test: 0 images' in out
    assert '8 words used' in out and 'too wide for the image 1' in out
    assert file_bytes(tmp_path / 'a') == file_bytes(tmp_path / 'b')
    data = json.loads((tmp_path / 'a' / 'textdet_train.json').read_text())
    gen = data['metainfo']['generator']
    assert gen['img_size'] == [480, 320] and gen['num_clutter'] == [0, 0]
    assert gen['shape_probs'] == dict(horizontal=1.0, rotated=0.0,
                                      curved=0.0)
    texts = [i['text'] for item in data['data_list']
             for i in item['instances']]
    assert texts and set(texts) <= set(WORDS)
    assert all(i['shape'] == 'horizontal' for item in data['data_list']
               for i in item['instances'])
    img = Image.open(tmp_path / 'a' / data['data_list'][0]['img_path'])
    assert img.size == (480, 320)

    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmocr.registry import DATASETS

    import mmtextknow  # noqa: F401
    init_default_scope('mmocr')
    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs/textspot/tpn/tpn_vgg16_80k_synthwords.py'))
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.update(data_root=str(tmp_path / 'a'), pipeline=[])
    dataset = DATASETS.build(ds_cfg)
    assert len(dataset) == sum(bool(item['instances'])
                               for item in data['data_list'])
    info = dataset.get_data_info(0)
    assert [i['text'] for i in info['instances']] == [
        i['text'] for i in data['data_list'][0]['instances']
    ]
    assert np.all([len(i['polygon']) == 8 for i in info['instances']])


def test_synthwords_needs_a_lexicon(tmp_path):
    with pytest.raises(SystemExit) as exc_info:
        cli().main([str(tmp_path / 'x'), '--preset', 'synthwords',
                    '--no-progress'])
    assert 'needs --lexicon' in exc_info.value.code
    assert not (tmp_path / 'x').exists()
