"""GenerateOTSGSequence and PackTextSequenceInputs, alone and through
MMOCR's OCRDataset."""
import json

import numpy as np
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData
from PIL import Image

from mmocr.datasets import OCRDataset
from mmocr.registry import TRANSFORMS

import mmtextknow  # noqa: F401
from mmtextknow.datasets.transforms import (GenerateOTSGSequence,
                                            PackTextSequenceInputs)
from mmtextknow.structures import TextSequenceDataSample

SOS, WOS, EOS = 1, 2, 3


def idx(char):
    return ord(char) - 33 + 4


def test_generate_drops_ignored_and_hashes():
    transform = TRANSFORMS.build(
        dict(type='GenerateOTSGSequence',
             dictionary=dict(type='OTSGDictionary', max_len=8)))
    results = transform(
        dict(gt_texts=['b', '###', 'zz', 'A'],
             gt_ignored=np.array([False, False, True, False])))
    assert results['gt_sequence'].dtype == np.int64
    assert results['gt_sequence'].tolist() == [
        SOS, idx('A'), WOS, idx('b'), WOS, EOS, 0, 0
    ]
    assert results['gt_words'] == ['A', 'b']
    assert results['otsg_truncated'] is False
    assert (results['otsg_unknown_chars'], results['otsg_dropped_chars'],
            results['otsg_truncated_chars'],
            results['otsg_truncated_words']) == (0, 0, 0, 0)


def test_generate_counters_and_instance_flags():
    transform = GenerateOTSGSequence(
        dictionary=dict(type='OTSGDictionary', max_len=6, unknown='drop'))
    # no gt_ignored (LoadOCRAnnotations with text only): instances' flags
    results = transform(
        dict(gt_texts=['hello world', 'secret', '###'],
             instances=[dict(ignore=False), dict(ignore=True),
                        dict(ignore=True)]))
    assert results['gt_words'] == ['hell']
    assert results['otsg_truncated'] is True
    assert results['otsg_dropped_chars'] == 1  # the space
    assert results['otsg_truncated_chars'] == 6  # 'oworld'


def test_pack():
    results = GenerateOTSGSequence()(dict(gt_texts=['Hi']))
    results.update(img=np.zeros((4, 6, 3), np.uint8), img_path='x.jpg',
                   ori_shape=(4, 6), img_shape=(4, 6))
    packed = PackTextSequenceInputs()(results)
    assert packed['inputs'].shape == (3, 4, 6)
    assert packed['inputs'].dtype == torch.uint8
    sample = packed['data_samples']
    assert isinstance(sample, TextSequenceDataSample)
    assert isinstance(sample.gt_sequence, LabelData)
    assert sample.gt_sequence.indexes.dtype == torch.long
    assert sample.gt_sequence.indexes.shape == (400, )
    assert sample.gt_sequence.indexes[:5].tolist() == [
        SOS, idx('H'), idx('i'), WOS, EOS
    ]
    assert sample.gt_sequence.words == ['Hi']
    assert sample.img_path == 'x.jpg' and sample.img_shape == (4, 6)
    assert sample.otsg_truncated is False and sample.otsg_unknown_chars == 0
    assert 'scale_factor' not in sample.metainfo


def test_ocr_dataset_pipeline(tmp_path):
    init_default_scope('mmocr')  # the pipeline's types are MMOCR names
    Image.fromarray(np.full((12, 20, 3), 128, np.uint8)).save(
        tmp_path / 'a.jpg')
    ann = dict(
        metainfo=dict(dataset_type='TextDetDataset', task_name='textdet',
                      category=[dict(id=0, name='text')]),
        data_list=[
            dict(img_path='a.jpg', height=12, width=20,
                 instances=[
                     dict(text='world', ignore=False),
                     dict(text='Hello', ignore=False),
                     dict(text='###', ignore=True),
                 ])
        ])
    (tmp_path / 'ann.json').write_text(json.dumps(ann))
    dataset = OCRDataset(
        ann_file='ann.json',
        data_root=str(tmp_path),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadOCRAnnotations', with_text=True),
            dict(type='GenerateOTSGSequence',
                 dictionary=dict(type='OTSGDictionary', max_len=16)),
            dict(type='PackTextSequenceInputs'),
        ])
    item = dataset[0]
    assert item['inputs'].shape == (3, 12, 20)
    sample = item['data_samples']
    assert sample.gt_sequence.words == ['Hello', 'world']
    expected = [SOS] + [idx(c) for c in 'Hello'] + [WOS] + [
        idx(c) for c in 'world'
    ] + [WOS, EOS, 0, 0]
    assert sample.gt_sequence.indexes.tolist() == expected
    assert sample.img_path == str(tmp_path / 'a.jpg')
    assert sample.ori_shape == (12, 20)
    assert sample.otsg_truncated is False
