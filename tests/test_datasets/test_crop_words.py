"""tools/dataset_converters/crop_words.py: textdet JSON -> word crops."""
import importlib.util
import json
from pathlib import Path

import pytest
from PIL import Image

from mmtextknow.utils import DataError, run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = REPO_ROOT / 'tools' / 'dataset_converters' / 'crop_words.py'


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('crop_words', CLI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def instance(bbox, text='word', ignore=False, **extra):
    return dict(bbox=bbox, text=text, ignore=ignore, bbox_label=0, **extra)


def make_set(root: Path, instances, img_name='imgs/a.png', size=(40, 30)):
    """One ``size`` (w, h) image whose pixel (x, y) has red x, green y."""
    img = Image.new('RGB', size)
    img.putdata([(x, y, 0) for y in range(size[1]) for x in range(size[0])])
    (root / img_name).parent.mkdir(parents=True, exist_ok=True)
    img.save(root / img_name)
    data = dict(
        metainfo=dict(dataset_type='TextDetDataset', task_name='textdet'),
        data_list=[
            dict(
                img_path=img_name,
                height=size[1],
                width=size[0],
                instances=instances)
        ])
    (root / 'textdet_train.json').write_text(json.dumps(data))


def test_crops_labels_and_counted_skips(tool, tmp_path, capsys):
    make_set(tmp_path, [
        instance([10, 10, 20, 15], 'Hello'),
        instance([5, 5, 9, 9], '###', ignore=True),
        instance([5, 5, 9, 9], '  '),
        instance([12, 12, 12, 20], 'flat'),
        instance([50, 50, 60, 60], 'outside'),
        instance([30, 20, 45, 35], 'clipped'),
        dict(polygon=[1, 2, 6, 2, 6, 7, 1, 7], text='poly', ignore=False),
    ])
    tool.main([str(tmp_path), 'textdet_train.json', 'textrecog_train.json'])
    out = capsys.readouterr().out
    assert 'word crops written: 3' in out
    assert 'words skipped: 4' in out
    assert 'ignored: 1' in out and 'empty text: 1' in out
    assert 'no area inside the image: 2' in out

    data = json.loads((tmp_path / 'textrecog_train.json').read_text())
    assert data['metainfo'] == dict(
        dataset_type='TextRecogDataset', task_name='textrecog')
    texts = [item['instances'] for item in data['data_list']]
    assert texts == [[dict(text='Hello')], [dict(text='clipped')],
                     [dict(text='poly')]]
    crops = []
    for item in data['data_list']:
        assert item['img_path'].startswith('crops/train/')
        crops.append(Image.open(tmp_path / item['img_path']))
    # margin 0.1 x height 5 = 0.5 px: [9.5, 9.5, 20.5, 15.5] -> 9..21, 9..16
    assert crops[0].size == (12, 7)
    assert crops[0].getpixel((0, 0))[:2] == (9, 9)
    # clipped to the 40 x 30 image: x 28.5.., y 18.5.. -> 28..40, 18..30
    assert crops[1].size == (12, 12)
    assert crops[1].getpixel((0, 0))[:2] == (28, 18)
    # the polygon's bounds [1, 2, 6, 7] with a 0.5 px margin
    assert crops[2].size == (7, 7)


def test_margin_and_split_options(tool, tmp_path, capsys):
    make_set(tmp_path, [instance([10, 10, 20, 15])])
    tool.main([
        str(tmp_path), 'textdet_train.json', 'out/rec.json', '--split', 'mine',
        '--margin', '0'
    ])
    data = json.loads((tmp_path / 'out' / 'rec.json').read_text())
    (item, ) = data['data_list']
    assert item['img_path'].startswith('crops/mine/')
    assert Image.open(tmp_path / item['img_path']).size == (10, 5)
    with pytest.raises(SystemExit):
        tool.parse_args([str(tmp_path), 'a.json', 'b.json', '--margin', '-1'])


def test_default_split(tool):
    assert tool.default_split('textdet_test.json') == 'test'
    assert tool.default_split('sub/val.json') == 'val'


def test_missing_or_unreadable_image_is_one_line_error(tool, tmp_path, capsys):
    make_set(tmp_path, [instance([10, 10, 20, 15])])
    (tmp_path / 'imgs' / 'a.png').unlink()
    argv = [str(tmp_path), 'textdet_train.json', 'textrecog_train.json']
    with pytest.raises(DataError, match='image not found'):
        tool.main(argv)
    with pytest.raises(SystemExit) as exit_info:
        run_cli(lambda: tool.main(argv))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith('error: ') and 'a.png' in err
    assert len(err.splitlines()) == 1

    (tmp_path / 'imgs' / 'a.png').write_bytes(b'not an image')
    with pytest.raises(DataError, match='cannot read image'):
        tool.main(argv)


def test_images_without_words_are_not_read(tool, tmp_path, capsys):
    """An image whose words are all skipped is never opened."""
    make_set(tmp_path, [instance([1, 1, 5, 5], ignore=True)])
    (tmp_path / 'imgs' / 'a.png').write_bytes(b'not an image')
    tool.main([str(tmp_path), 'textdet_train.json', 'textrecog_train.json'])
    assert 'ignored: 1' in capsys.readouterr().out


def test_bad_annotation_file(tool, tmp_path):
    with pytest.raises(DataError, match='annotation file not found'):
        tool.main([str(tmp_path), 'missing.json', 'out.json'])
    (tmp_path / 'bad.json').write_text('{"data_list": 3}')
    with pytest.raises(DataError, match='data_list'):
        tool.main([str(tmp_path), 'bad.json', 'out.json'])


def add_mask(root: Path, item_mask='masks/a.png', size=(40, 30)):
    """A grey mask whose pixel (x, y) is (x + 2 y) % 256, named in the
    annotation file's item."""
    mask = Image.new('L', size)
    mask.putdata([(x + 2 * y) % 256 for y in range(size[1])
                  for x in range(size[0])])
    (root / item_mask).parent.mkdir(parents=True, exist_ok=True)
    mask.save(root / item_mask)
    data = json.loads((root / 'textdet_train.json').read_text())
    data['data_list'][0]['pixel_mask_path'] = item_mask
    (root / 'textdet_train.json').write_text(json.dumps(data))


def test_with_masks_crops_the_mask_with_the_word(tool, tmp_path):
    make_set(tmp_path, [
        instance([10, 10, 20, 15], 'Hello'),
        instance([30, 20, 45, 35], 'clipped')
    ])
    add_mask(tmp_path)
    argv = [
        str(tmp_path), 'textdet_train.json', 'textrecog_train.json',
        '--with-masks'
    ]
    tool.main(argv)
    data = json.loads((tmp_path / 'textrecog_train.json').read_text())
    first, second = data['data_list']
    assert first['pixel_mask_path'] == 'crop_masks/pixel/train/imgs_a_0.png'
    assert second['pixel_mask_path'] == 'crop_masks/pixel/train/imgs_a_1.png'
    mask = Image.open(tmp_path / first['pixel_mask_path'])
    assert mask.mode == 'L' and mask.size == (12, 7)  # as the word crop
    # the crop starts at (9, 9): value 9 + 2 * 9; (11, 6) -> (20, 15)
    assert mask.getpixel((0, 0)) == 27
    assert mask.getpixel((11, 6)) == 20 + 2 * 15
    mask = Image.open(tmp_path / second['pixel_mask_path'])
    assert mask.size == (12, 12) and mask.getpixel((0, 0)) == 28 + 2 * 18
    # the same input gives the same bytes
    before = (tmp_path / first['pixel_mask_path']).read_bytes()
    tool.main(argv)
    assert (tmp_path / first['pixel_mask_path']).read_bytes() == before


def test_without_the_flag_no_mask_is_written(tool, tmp_path):
    make_set(tmp_path, [instance([10, 10, 20, 15], 'Hello')])
    add_mask(tmp_path)
    tool.main([str(tmp_path), 'textdet_train.json', 'textrecog_train.json'])
    (item, ) = json.loads(
        (tmp_path / 'textrecog_train.json').read_text())['data_list']
    assert 'pixel_mask_path' not in item
    assert not (tmp_path / 'crop_masks').exists()


def test_with_masks_bad_masks_are_errors(tool, tmp_path):
    make_set(tmp_path, [instance([10, 10, 20, 15], 'Hello')])
    argv = [
        str(tmp_path), 'textdet_train.json', 'textrecog_train.json',
        '--with-masks'
    ]
    with pytest.raises(DataError, match='has no pixel_mask_path'):
        tool.main(argv)
    add_mask(tmp_path, size=(40, 31))
    with pytest.raises(DataError, match='mask size 40x31 differs'):
        tool.main(argv)
    (tmp_path / 'masks' / 'a.png').unlink()
    with pytest.raises(DataError, match='pixel mask not found'):
        tool.main(argv)
    (tmp_path / 'masks' / 'a.png').write_bytes(b'not an image')
    with pytest.raises(DataError, match='cannot read pixel mask'):
        tool.main(argv)
