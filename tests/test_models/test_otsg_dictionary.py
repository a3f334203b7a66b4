"""OTSGDictionary: STKM's ordered text sequence (hand-written cases)."""
import pytest
import torch

from mmocr.registry import TASK_UTILS

import mmtextknow  # noqa: F401
from mmtextknow.models.common import OTSGDictionary

POS, SOS, WOS, EOS = 0, 1, 2, 3


def idx(char):
    return ord(char) - 33 + 4


def test_layout_and_flags():
    d = TASK_UTILS.build(dict(type='OTSGDictionary'))
    assert isinstance(d, OTSGDictionary)
    assert (d.pad_idx, d.sos_idx, d.wos_idx, d.eos_idx) == (0, 1, 2, 3)
    assert d.max_len == 400 and d.unk_idx == 98 and d.num_classes == 99
    assert d.char2idx('!') == 4 and d.char2idx('~') == 97
    assert d.char2idx('0') == 19 and d.char2idx('A') == 36
    assert d.char2idx('&') == idx('&') and d.char2idx('Z') == idx('Z')
    assert len(d.dict) == 94 and d.dict == sorted(d.dict)
    drop = OTSGDictionary(unknown='drop')
    assert drop.unk_idx is None and drop.num_classes == 98
    with pytest.raises(ValueError):
        OTSGDictionary(unknown='skip')
    with pytest.raises(ValueError):
        OTSGDictionary(max_len=1)


def test_sorting_and_padding():
    d = OTSGDictionary(max_len=10)
    indexes, stats = d.encode(['b', 'A', 'a'])
    assert indexes == [
        SOS, idx('A'), WOS, idx('a'), WOS, idx('b'), WOS, EOS, POS, POS
    ]
    assert stats == dict(truncated=False, unknown_chars=0, dropped_chars=0,
                         truncated_chars=0, truncated_words=0,
                         words=['A', 'a', 'b'])
    # code-point order, case-sensitive, prefixes first, digits before
    _, stats = d.encode(['ab', 'a', 'B', '9'])
    assert stats['words'] == ['9', 'B', 'a', 'ab']


def test_zero_words():
    d = OTSGDictionary(max_len=5)
    assert d.encode([]) == ([SOS, EOS, POS, POS, POS],
                            dict(truncated=False, unknown_chars=0,
                                 dropped_chars=0, truncated_chars=0,
                                 truncated_words=0, words=[]))
    assert d.encode([''])[0] == [SOS, EOS, POS, POS, POS]


def test_truncation_mid_word():
    d = OTSGDictionary(max_len=8)  # 6 content tokens
    indexes, stats = d.encode(['hello', 'ab', 'xyz'])
    assert indexes == [SOS, idx('a'), idx('b'), WOS, idx('h'), idx('e'),
                       idx('l'), EOS]
    assert stats['truncated'] is True
    assert stats['words'] == ['ab', 'hel']
    assert stats['truncated_chars'] == 2 + 3  # 'lo' and 'xyz'
    assert stats['truncated_words'] == 1  # 'xyz'
    assert stats['dropped_chars'] == 0 and stats['unknown_chars'] == 0


def test_truncation_at_word_boundaries():
    d = OTSGDictionary(max_len=5)  # 3 content tokens
    # 'ab' and its WOS fill the budget; 'cd' is lost entirely
    indexes, stats = d.encode(['cd', 'ab'])
    assert indexes == [SOS, idx('a'), idx('b'), WOS, EOS]
    assert stats['truncated'] and stats['words'] == ['ab']
    assert (stats['truncated_chars'], stats['truncated_words']) == (2, 1)
    # 'abc' fits, only its WOS is cut: flagged, no character lost
    indexes, stats = d.encode(['abc'])
    assert indexes == [SOS, idx('a'), idx('b'), idx('c'), EOS]
    assert stats['truncated'] and stats['words'] == ['abc']
    assert (stats['truncated_chars'], stats['truncated_words']) == (0, 0)
    # exactly fitting is not truncated
    _, stats = d.encode(['ab'])
    assert not stats['truncated']


def test_unknown_chars_unk_and_drop():
    unk = OTSGDictionary(max_len=12)
    indexes, stats = unk.encode(['né', 'a b'])
    assert indexes == [SOS, idx('a'), unk.unk_idx, idx('b'), WOS, idx('n'),
                       unk.unk_idx, WOS, EOS, POS, POS, POS]
    assert stats['unknown_chars'] == 2 and stats['dropped_chars'] == 0
    assert stats['words'] == ['a\ufffdb', 'n\ufffd']
    drop = OTSGDictionary(max_len=12, unknown='drop')
    indexes, stats = drop.encode(['né', 'a b', 'éé'])
    assert indexes == [SOS, idx('a'), idx('b'), WOS, idx('n'), WOS, EOS,
                       POS, POS, POS, POS, POS]
    assert stats['dropped_chars'] == 4 and stats['unknown_chars'] == 0
    assert stats['words'] == ['ab', 'n']  # 'éé' left empty: removed


def test_decode_prediction():
    d = OTSGDictionary(max_len=20)
    pred = [SOS, idx('H'), POS, idx('i'), WOS, WOS, d.unk_idx, idx('x'),
            EOS, idx('z'), WOS, idx('q')]
    assert d.decode(pred) == ['Hi', '\ufffdx']
    assert d.decode(torch.tensor(pred)) == ['Hi', '\ufffdx']
    # no EOS: read to the end; no leading SOS
    assert d.decode([idx('a'), WOS, idx('b')]) == ['a', 'b']
    assert d.decode([SOS, EOS, idx('a')]) == []


def test_round_trip():
    d = OTSGDictionary(max_len=40)
    words = ['World', 'hello', '#1', 'caf\u00e9', 'A&Z']
    indexes, stats = d.encode(words)
    assert len(indexes) == 40
    assert d.decode(indexes) == stats['words'] == sorted(
        ['World', 'hello', '#1', 'caf\ufffd', 'A&Z'])
    short = OTSGDictionary(max_len=9)
    indexes, stats = short.encode(words)
    assert stats['truncated'] and indexes[-1] == EOS
    assert short.decode(indexes) == stats['words']
