# Copyright (c) mmtextknow contributors. All rights reserved.
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from mmtextknow.datasets.converters import (BAD_INPUT_RULES, ConversionReport,
                                            convert_icdar_txt, parse_icdar_txt)
from mmtextknow.datasets.converters import icdar_txt
from mmtextknow.utils import DataError, run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = REPO_ROOT / 'tools' / 'dataset_converters' / 'icdar_txt2json.py'
SQUARE = '10,10,50,10,50,40,10,40'


def shared_data_dir() -> Path:
    """The shared data directory, overridable by ``MMTK_SHARED_DATA``."""
    env = os.environ.get('MMTK_SHARED_DATA')
    if env:
        return Path(env)
    return (REPO_ROOT / '..' / 'shared' / 'data').resolve()


def toy_dir() -> Path:
    toy = shared_data_dir() / 'icdar2015_toy'
    if not (toy / 'imgs').is_dir() or not (toy / 'annotations').is_dir():
        pytest.skip(f'shared ICDAR toy data not found: {toy}')
    return toy


def write_gt(path: Path, lines, bom=True, newline='\r\n') -> Path:
    content = newline.join(lines) + newline
    path.write_bytes((b'\xef\xbb\xbf' if bom else b'') +
                     content.encode('utf-8'))
    return path


def write_img(path: Path, size=(64, 48)) -> Path:
    Image.new('RGB', size, (255, 255, 255)).save(path)
    return path


def make_dataset(tmp_path: Path, gts: dict, imgs=None):
    """Create ``imgs/`` and ``gts/`` in tmp_path.

    Args:
        gts (dict): image stem -> list of gt lines (None = no gt file).
        imgs (list[str], optional): image file names; default stem.jpg for
            each key of gts.
    """
    img_dir, gt_dir = tmp_path / 'imgs', tmp_path / 'gts'
    img_dir.mkdir()
    gt_dir.mkdir()
    for name in imgs if imgs is not None else [f'{s}.jpg' for s in gts]:
        write_img(img_dir / name)
    for stem, lines in gts.items():
        if lines is not None:
            write_gt(gt_dir / f'gt_{stem}.txt', lines)
    return img_dir, gt_dir


def test_parse_bom_crlf_commas_and_ignore(tmp_path):
    gt = write_gt(tmp_path / 'gt.txt', [
        f'{SQUARE},hello ', '', f'{SQUARE},1,000', f'{SQUARE}, a,b,c',
        f'{SQUARE},###', f'{SQUARE},####'
    ])
    parsed = parse_icdar_txt(gt)
    texts = [inst['text'] for inst in parsed.instances]
    assert texts == ['hello', '1,000', 'a,b,c', '###', '####']
    assert [inst['ignore'] for inst in parsed.instances] == \
        [False, False, False, True, False]
    assert parsed.num_ignored == 1
    assert not parsed.is_empty and parsed.num_malformed == 0
    first = parsed.instances[0]
    assert first['polygon'] == [10.0, 10.0, 50.0, 10.0, 50.0, 40.0, 10.0, 40.0]
    assert first['bbox'] == [10.0, 10.0, 50.0, 40.0]
    assert first['bbox_label'] == 0
    # LF without BOM gives the same result
    lf = write_gt(
        tmp_path / 'lf.txt', [f'{SQUARE},1,000'], bom=False, newline='\n')
    assert parse_icdar_txt(lf).instances[0]['text'] == '1,000'


def test_parse_more_points(tmp_path):
    gt = write_gt(tmp_path / 'gt.txt', ['0,0,10,0,20,5,10,10,0,10,hex,a'])
    parsed = parse_icdar_txt(gt, num_points=5)
    assert len(parsed.instances[0]['polygon']) == 10
    assert parsed.instances[0]['text'] == 'hex,a'
    with pytest.raises(ValueError, match='num_points'):
        parse_icdar_txt(gt, num_points=2)


def test_parse_degenerate_dropped(tmp_path):
    gt = write_gt(
        tmp_path / 'gt.txt',
        [
            '10,10,50,10,50,40,10,10,three distinct',  # only 3 distinct: kept
            '10,10,50,10,10,10,50,10,two distinct',
            '0,0,10,10,20,20,30,30,collinear',
            f'{SQUARE},ok',
        ])
    parsed = parse_icdar_txt(gt)
    assert [i['text'] for i in parsed.instances] == ['three distinct', 'ok']
    assert parsed.num_degenerate == 2


@pytest.mark.parametrize('bad_line', [
    '1,2,3,4,5,6,7,8', '1,2,3', '1,2,3,x,5,6,7,8,text', '1,2,3,nan,5,6,7,8,t'
])
def test_parse_malformed(tmp_path, bad_line):
    lines = [f'{SQUARE},ok', bad_line, f'{SQUARE},ok2']
    gt = write_gt(tmp_path / 'gt_bad.txt', lines)
    with pytest.raises(DataError, match=r'gt_bad\.txt, line 2'):
        parse_icdar_txt(gt)
    parsed = parse_icdar_txt(gt, skip_invalid=True)
    assert parsed.malformed_lines == [2]
    assert [i['text'] for i in parsed.instances] == ['ok', 'ok2']


@pytest.mark.parametrize('content', [b'', b'\xef\xbb\xbf', b' \r\n\r\n'])
def test_parse_empty(tmp_path, content):
    gt = tmp_path / 'gt.txt'
    gt.write_bytes(content)
    parsed = parse_icdar_txt(gt)
    assert parsed.is_empty and parsed.instances == []


def test_parse_not_utf8(tmp_path):
    gt = tmp_path / 'gt_latin.txt'
    gt.write_bytes(f'{SQUARE},caf'.encode() + b'\xe9\n')
    with pytest.raises(DataError, match='gt_latin.txt'):
        parse_icdar_txt(gt)


def test_convert_basic(tmp_path):
    img_dir, gt_dir = make_dataset(
        tmp_path, {
            'img_1': [f'{SQUARE},A', f'{SQUARE},###', '0,0,1,1,0,0,1,1,deg'],
            'img_2': [],
            'img_3': ['-5,0,70,0,70,10,-5,10,outside'],
        },
        imgs=['img_1.jpg', 'img_2.PNG', 'img_3.JPEG'])
    (img_dir / 'notes.txt').write_text('not an image')
    out = tmp_path / 'out' / 'train.json'
    report = convert_icdar_txt(img_dir, gt_dir, out)
    assert isinstance(report, ConversionReport)
    assert report.num_images == 3
    assert report.num_instances == 3
    assert report.num_ignored_instances == 1
    assert report.num_degenerate_polygons == 1
    assert report.num_empty_gt_files == 1
    assert report.num_out_of_image_instances == 1
    content = json.loads(out.read_text(encoding='utf-8'))
    assert content['metainfo'] == {
        'dataset_type': 'TextDetDataset',
        'task_name': 'textdet',
        'category': [{
            'id': 0,
            'name': 'text'
        }]
    }
    data = content['data_list']
    assert [d['img_path'] for d in data] == \
        ['../imgs/img_1.jpg', '../imgs/img_2.PNG', '../imgs/img_3.JPEG']
    assert (data[0]['height'], data[0]['width']) == (48, 64)
    assert data[1]['instances'] == []
    assert data[2]['instances'][0]['polygon'][0] == -5.0  # not clipped
    summary = report.summary()
    assert 'images converted: 3' in summary
    assert 'degenerate polygons dropped: 1' in summary
    assert 'empty annotation files' in summary
    assert 'malformed' not in summary  # zero counters are not printed

    # img_root and a custom gt name format
    for p in gt_dir.iterdir():
        p.rename(gt_dir / (p.stem[3:] + '.gt'))
    report = convert_icdar_txt(
        img_dir, gt_dir, out, gt_name_fmt='{stem}.gt', img_root=tmp_path)
    data = json.loads(out.read_text(encoding='utf-8'))['data_list']
    assert data[0]['img_path'] == 'imgs/img_1.jpg'
    with pytest.raises(ValueError, match='gt_name_fmt'):
        convert_icdar_txt(img_dir, gt_dir, out, gt_name_fmt='gt.txt')


def test_convert_unicode_output(tmp_path):
    img_dir, gt_dir = make_dataset(tmp_path, {'a': [f'{SQUARE},Straße 東京']})
    out = tmp_path / 'a.json'
    convert_icdar_txt(img_dir, gt_dir, out)
    raw = out.read_text(encoding='utf-8')
    assert 'Straße 東京' in raw


def test_convert_malformed(tmp_path):
    img_dir, gt_dir = make_dataset(tmp_path, {
        'img_1': [f'{SQUARE},ok', '1,2,oops'],
        'img_2': [f'{SQUARE},ok']
    })
    out = tmp_path / 'out.json'
    with pytest.raises(DataError, match=r'gt_img_1\.txt, line 2'):
        convert_icdar_txt(img_dir, gt_dir, out)
    assert not out.exists()
    report = convert_icdar_txt(img_dir, gt_dir, out, skip_invalid=True)
    assert report.num_malformed_lines == 1
    assert report.malformed_lines == [f'{gt_dir / "gt_img_1.txt"}:2']
    assert report.num_instances == 2


def test_convert_missing_files(tmp_path):
    img_dir, gt_dir = make_dataset(
        tmp_path,
        {
            'img_1': [f'{SQUARE},ok'],
            'img_2': None,  # image without gt
            'img_3': [f'{SQUARE},ok'],  # gt without image
        },
        imgs=['img_1.jpg', 'img_2.jpg'])
    out = tmp_path / 'out.json'
    report = convert_icdar_txt(img_dir, gt_dir, out)
    assert report.num_images == 1
    assert report.num_missing_gt_files == 1
    assert report.missing_gt_files == [str(gt_dir / 'gt_img_2.txt')]
    assert report.num_missing_images == 1
    assert report.missing_images == [str(gt_dir / 'gt_img_3.txt')]
    assert str(gt_dir / 'gt_img_2.txt') in report.summary()
    with pytest.raises(DataError, match='gt_img_3.txt'):
        convert_icdar_txt(img_dir, gt_dir, out, strict=True)
    (gt_dir / 'gt_img_3.txt').unlink()
    with pytest.raises(DataError, match='gt_img_2.txt'):
        convert_icdar_txt(img_dir, gt_dir, out, strict=True)


def _corrupt_case(tmp_path, corrupt_bytes):
    img_dir, gt_dir = make_dataset(
        tmp_path, {
            'good': [f'{SQUARE},ok'],
            'bad': [f'{SQUARE},ok']
        },
        imgs=['good.jpg'])
    (img_dir / 'bad.jpg').write_bytes(corrupt_bytes)
    out = tmp_path / 'out.json'
    report = convert_icdar_txt(img_dir, gt_dir, out)
    assert report.num_images == 1
    assert report.num_corrupt_images == 1
    assert report.corrupt_images == [str(img_dir / 'bad.jpg')]
    assert 'images skipped (corrupt image): 1' in report.summary()
    data = json.loads(out.read_text(encoding='utf-8'))['data_list']
    assert [d['img_path'] for d in data] == ['imgs/good.jpg']
    with pytest.raises(DataError, match='bad.jpg'):
        convert_icdar_txt(img_dir, gt_dir, out, strict=True)


def test_convert_corrupt_garbage(tmp_path):
    _corrupt_case(tmp_path, b'\x00garbage, not a jpeg\xff\xd8')


def test_convert_corrupt_shared_broken_jpg(tmp_path):
    broken = shared_data_dir() / 'broken.jpg'
    if not broken.is_file():
        pytest.skip(f'{broken} not found')
    _corrupt_case(tmp_path, broken.read_bytes())


def test_convert_nothing_converted(tmp_path):
    img_dir, gt_dir = make_dataset(tmp_path, {'a': None})
    with pytest.raises(DataError, match=re.escape(str(img_dir))):
        convert_icdar_txt(img_dir, gt_dir, tmp_path / 'out.json')
    with pytest.raises(FileNotFoundError, match='nonexistent'):
        convert_icdar_txt(tmp_path / 'nonexistent', gt_dir,
                          tmp_path / 'out.json')


def test_rules_documented():
    assert BAD_INPUT_RULES.startswith('Bad-input rules:')
    assert 'DataError' in BAD_INPUT_RULES
    if icdar_txt.__doc__ is None:  # python -OO
        pytest.skip('docstrings stripped')
    assert ':data:`BAD_INPUT_RULES`' in icdar_txt.__doc__


def _count_toy_gt(gt_file: Path):
    lines = [
        line for line in gt_file.read_text(encoding='utf-8-sig').splitlines()
        if line.strip()
    ]
    num_ignored = sum(line.split(',', 8)[8].strip() == '###' for line in lines)
    return len(lines), num_ignored


def test_convert_icdar2015_toy(tmp_path):
    toy = toy_dir()
    out = tmp_path / 'textdet_test.json'
    report = convert_icdar_txt(
        toy / 'imgs', toy / 'annotations', out, img_root=toy)
    assert report.num_images == 7
    assert report.summary().count('\n') == 2  # images/instances/ignored
    data_list = json.loads(out.read_text(encoding='utf-8'))['data_list']
    assert len(data_list) == 7
    total_ignored = 0
    for entry in data_list:
        assert (entry['height'], entry['width']) == (720, 1280)
        stem = Path(entry['img_path']).stem
        num_lines, num_ignored = _count_toy_gt(toy / 'annotations' /
                                               f'gt_{stem}.txt')
        assert len(entry['instances']) == num_lines
        assert sum(i['ignore'] for i in entry['instances']) == num_ignored
        total_ignored += num_ignored
    assert report.num_ignored_instances == total_ignored
    assert report.num_instances == sum(len(e['instances']) for e in data_list)

    pytest.importorskip('mmocr')
    from mmocr.datasets import OCRDataset
    dataset = OCRDataset(ann_file=str(out), data_root=str(toy), pipeline=[])
    assert len(dataset) == 7
    info = dataset.get_data_info(0)
    assert Path(info['img_path']).is_file()
    assert info['instances'][0]['text'] == 'Genaxis Theatre'


def _start_cli(*args) -> subprocess.Popen:
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([str(REPO_ROOT)] + (
        [env['PYTHONPATH']] if env.get('PYTHONPATH') else []))
    return subprocess.Popen(
        [sys.executable, str(CLI), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env)


def test_cli_subprocess(tmp_path):
    # Both runs are started at once: each pays the ~5 s mmocr import.
    error_proc = _start_cli(tmp_path / 'nonexistent', tmp_path,
                            tmp_path / 'o.json')
    toy = shared_data_dir() / 'icdar2015_toy'
    toy_proc = None
    if (toy / 'imgs').is_dir():
        toy_proc = _start_cli(toy / 'imgs', toy / 'annotations',
                              tmp_path / 'toy.json', '--gt-name-fmt',
                              'gt_{stem}.txt')

    stdout, stderr = error_proc.communicate(timeout=120)
    assert error_proc.returncode == 1
    assert stderr.startswith('error:') and 'nonexistent' in stderr
    assert 'Traceback' not in stderr + stdout
    assert len(stderr.strip().splitlines()) == 1

    if toy_proc is None:
        pytest.skip(f'shared ICDAR toy data not found: {toy}')
    stdout, stderr = toy_proc.communicate(timeout=120)
    assert toy_proc.returncode == 0, stderr
    assert 'images converted: 7' in stdout
    data = json.loads((tmp_path / 'toy.json').read_text('utf-8'))
    assert len(data['data_list']) == 7


def _load_cli_module():
    spec = importlib.util.spec_from_file_location('icdar_txt2json', CLI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_in_process(tmp_path, capsys):
    # in-process: cheaper than more subprocesses
    cli = _load_cli_module()
    with pytest.raises(SystemExit) as exc_info:
        cli.main(['--help'])
    assert exc_info.value.code == 0
    help_text = capsys.readouterr().out
    assert 'Bad-input rules' in help_text and 'bad-input-rules' in help_text
    assert '--skip-invalid' in help_text and '--strict' in help_text

    img_dir, gt_dir = make_dataset(tmp_path, {'a': ['1,2,oops']})
    out = tmp_path / 'out.json'
    args = [str(img_dir), str(gt_dir), str(out)]
    with pytest.raises(SystemExit) as exc_info:  # a DataError, via run_cli
        run_cli(lambda: cli.main(args))
    assert exc_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith('error:') and 'line 1' in err
    with pytest.raises(SystemExit) as exc_info:  # an invalid option
        cli.main(args + ['--gt-name-fmt', 'gt.txt'])
    assert exc_info.value.code.startswith('error: invalid gt_name_fmt')
    cli.main(args + ['--skip-invalid'])
    assert 'malformed lines skipped: 1' in capsys.readouterr().out
