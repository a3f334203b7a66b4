# Copyright (c) mmtextknow contributors. All rights reserved.
"""The generator's clean background: the image without its words, written
next to it, without changing any of the other outputs."""
import hashlib
import io
import json
from pathlib import Path

import cv2
import numpy as np
import PIL
import pytest
from PIL import Image

from mmtextknow.datasets.generators import (SceneTextGenerator,
                                            SceneTextGeneratorConfig,
                                            generate_dataset)

#: Digest of the images, masks and annotation files (without the
#: ``background_path`` keys) written by the generator as it was before it
#: wrote backgrounds (the commit introducing this test's parent), for two
#: option sets: the default options (2 train + 1 test image) and 128x112
#: images, seed 3, blur probability 0.5 (6 train + 3 val, 3 of them
#: blurred). See :func:`outputs_digest`. Recorded with Pillow 13.0.0,
#: numpy 1.26.4 and opencv-python 4.11.0.86 (the JPEG encoder and the
#: random streams are theirs): with other versions the test is skipped.
PREVIOUS_OUTPUTS = {
    'default':
    '13f7cc1c5c52bd079a4dfad2a666445c62d350056b06315a629ec704220a3c13',
    'small':
    'f42525cf646673a01fa7624d3646c1ef03aa5e064cdfcf44ea7d84a2f5fbe87f',
}
RECORDED_VERSIONS = ('13.0.0', '1.26.4', '4.11.0')

#: Half-width of the widest blur kernel: cv2.GaussianBlur of a float image
#: with sigma <= 1 (the generator's maximum) is 2 * round(4 sigma) + 1 wide.
BLUR_REACH = 4


def outputs_digest(root: Path) -> str:
    """SHA-256 over (path, SHA-256 of the content) of every file but the
    backgrounds; annotation files enter without ``background_path``, as
    ``json.dumps(..., ensure_ascii=False)`` (how they are written)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob('*')):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith('backgrounds/'):
            continue
        data = path.read_bytes()
        if rel.endswith('.json'):
            ann = json.loads(data)
            for item in ann['data_list']:
                assert item.pop('background_path') == \
                    item['img_path'].replace('imgs/', 'backgrounds/', 1)
            data = json.dumps(ann, ensure_ascii=False).encode('utf-8')
        digest.update(rel.encode() + b'\0' + hashlib.sha256(data).digest())
    return digest.hexdigest()


def test_other_outputs_unchanged(tmp_path):
    versions = (PIL.__version__, np.__version__, cv2.__version__[:6])
    if versions != RECORDED_VERSIONS:
        pytest.skip(f'digests recorded with Pillow / numpy / opencv '
                    f'{RECORDED_VERSIONS}, found {versions}')
    options = {
        'default': (SceneTextGeneratorConfig(), {'train': 2, 'test': 1}),
        'small': (SceneTextGeneratorConfig(
            img_size=(128, 112), seed=3, blur_prob=0.5), {
                'train': 6,
                'val': 3
            }),
    }
    for name, (cfg, num_images) in options.items():
        generate_dataset(str(tmp_path / name), num_images, cfg,
                         progress=False)
        assert outputs_digest(tmp_path / name) == PREVIOUS_OUTPUTS[name], name


def square_dilate(mask: np.ndarray, reach: int) -> np.ndarray:
    kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    return cv2.dilate(mask.astype(np.uint8), kernel) > 0


@pytest.mark.parametrize('img_size', [256, (160, 96)])
def test_background_is_the_image_without_words(img_size):
    # Without blur the words change exactly their glyph coverage, which
    # lies inside the word polygons; every glyph pixel differs (contrast).
    gen = SceneTextGenerator(
        SceneTextGeneratorConfig(img_size=img_size, blur_prob=0.0, seed=7))
    for index in range(6):
        sample = gen.render_index('train', index)
        assert sample.background.shape == sample.image.shape
        assert sample.background.dtype == np.uint8
        differs = (sample.image != sample.background).any(axis=-1)
        words = sample.polygon_mask > 0
        assert not (differs & ~words).any()
        assert differs[sample.pixel_mask > 0].all()
        assert np.array_equal(sample.image[~words],
                              sample.background[~words])


def test_blur_and_noise_shared():
    # With blur, the difference spreads by at most the kernel's half-width;
    # far from the words the noise (hence the pixel) is the same.
    gen = SceneTextGenerator(
        SceneTextGeneratorConfig(img_size=(160, 96), blur_prob=1.0,
                                 noise_std=(4.0, 6.0), seed=7))
    spread = 0
    for index in range(6):
        sample = gen.render_index('train', index)
        differs = (sample.image != sample.background).any(axis=-1)
        words = sample.polygon_mask > 0
        spread += int((differs & ~words).sum())
        far = ~square_dilate(words, BLUR_REACH)
        assert np.array_equal(sample.image[far], sample.background[far])
    assert spread > 0  # the blur did spread the words


def jpeg_blocks(changed: np.ndarray, block: int = 16) -> np.ndarray:
    """The ``block`` x ``block`` JPEG blocks (4:2:0 MCUs) that hold a
    changed pixel, grown by the one pixel chroma up-sampling reaches."""
    h, w = changed.shape
    hb, wb = -(-h // block), -(-w // block)
    padded = np.zeros((hb * block, wb * block), bool)
    padded[:h, :w] = changed
    touched = padded.reshape(hb, block, wb, block).any(axis=(1, 3))
    blocks = np.kron(touched, np.ones((block, block), bool))[:h, :w]
    return square_dilate(blocks, 1)


def encode_jpeg(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format='JPEG', quality=95)
    return buffer.getvalue()


def test_background_written_and_listed(tmp_path):
    cfg = SceneTextGeneratorConfig(img_size=(128, 112), seed=3)
    generate_dataset(str(tmp_path), {'test': 4}, cfg, progress=False)
    with open(tmp_path / 'textdet_test.json', encoding='utf-8') as f:
        data_list = json.load(f)['data_list']
    gen = SceneTextGenerator(cfg)
    for index, item in enumerate(data_list):
        assert item['background_path'] == f'backgrounds/test/{index:05d}.jpg'
        sample = gen.render_index('test', index)
        written = (tmp_path / item['background_path']).read_bytes()
        # encoded like the image
        assert written == encode_jpeg(sample.background)
        assert (tmp_path / item['img_path']).read_bytes() == \
            encode_jpeg(sample.image)
        # the decoded image and background agree exactly outside the JPEG
        # blocks the words changed
        image = np.asarray(Image.open(tmp_path / item['img_path']))
        background = np.asarray(Image.open(io.BytesIO(written)))
        changed = (sample.image != sample.background).any(axis=-1)
        assert changed.any()
        outside = ~jpeg_blocks(changed)
        assert outside.any()
        assert np.array_equal(image[outside], background[outside])
        assert not np.array_equal(image, background)
