# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text Recognition Network: 38-class charset, attention mask, teacher
forcing, overfitting, greedy decoding."""
import torch

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS, TASK_UTILS
from mmtextknow.models.textspot.tpn.trn import (TextRecognitionNetwork,
                                                TPNCharset)


def test_charset_layout():
    cs = TASK_UTILS.build(dict(type='TPNCharset'))
    assert isinstance(cs, Dictionary)
    assert cs.num_classes == 38
    assert cs.start_idx == cs.end_idx == 37
    assert cs.punct_idx == 36
    assert cs.padding_idx is None
    assert cs.dict[:10] == list('0123456789')
    assert cs.dict[10:36] == list('abcdefghijklmnopqrstuvwxyz')


def test_charset_hello_world():
    cs = TPNCharset()
    idx = cs.str2idx('Hello, World!')
    # space skipped, case folded, ',' and '!' -> one class
    assert idx == cs.str2idx('hello.world?')
    assert len(idx) == 12
    assert idx[5] == idx[11] == cs.punct_idx
    assert idx[0] == cs.char2idx('h') == 17
    assert cs.idx2str(idx) == 'hello.world.'
    for c in '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~':
        assert cs.str2idx(c) == [cs.punct_idx], c
    text = 'abcdefghijklmnopqrstuvwxyz0123456789'
    assert cs.idx2str(cs.str2idx(text)) == text
    assert cs.idx2str(cs.str2idx(text.upper())) == text
    targets, lengths = cs.encode_words(['Hi!', 'A1', ''])
    assert targets.tolist() == [[17, 18, 36, 37], [10, 1, 37, -100],
                                [37, -100, -100, -100]]
    assert lengths.tolist() == [4, 3, 1]
    assert cs.decode_indices(targets) == ['hi.', 'a1', '']
    # accents folded, other scripts / spaces skipped, symbols -> punct
    assert cs.idx2str(cs.str2idx('Café 5€ 日本')) == 'cafe5.'
    assert TPNCharset(punct_char='#').idx2str(
        TPNCharset(punct_char='#').str2idx('a-b')) == 'a#b'


def _trn(**kwargs):
    torch.manual_seed(0)
    cfg = dict(in_channels=6, embed_dims=8, hidden_channels=16,
               attn_channels=8)
    cfg.update(kwargs)
    trn = TextRecognitionNetwork(**cfg)
    trn.init_weights()
    return trn


def _sequence(lengths, channels=6, seed=0):
    torch.manual_seed(seed)
    lengths = torch.tensor(lengths)
    seq = torch.randn(len(lengths), int(lengths.max()), channels)
    for k, n in enumerate(lengths.tolist()):
        seq[k, n:] = 0
    return seq, lengths


def test_attention_mask_and_shapes():
    trn = _trn()
    seq, lengths = _sequence([3, 7, 1])
    targets, _ = trn.dictionary.encode_words(['ab', 'hello', 'x'])
    logits, weights = trn.forward_train(
        seq, lengths, targets, return_attention=True)
    assert logits.shape == (3, 6, 38)
    assert weights.shape == (3, 6, 7)
    for k, n in enumerate(lengths.tolist()):
        assert torch.all(weights[k, :, n:] == 0)
        assert torch.all(weights[k, :, :n] > 0)
    torch.testing.assert_close(weights.sum(-1), torch.ones(3, 6))
    # garbage beyond a length changes nothing
    seq2 = seq.clone()
    seq2[0, 3:] = 100.
    logits2 = trn.forward_train(seq2, lengths, targets)
    torch.testing.assert_close(logits2, logits)


def test_loss_normalisation_and_registry():
    trn = MODELS.build(
        dict(type='TextRecognitionNetwork', in_channels=6, embed_dims=4,
             hidden_channels=8, attn_channels=4))
    seq, lengths = _sequence([2, 5])
    targets, tok_len = trn.dictionary.encode_words(['a', 'abcd'])
    logits = trn.forward_train(seq, lengths, targets)
    total = torch.nn.functional.cross_entropy(
        logits[targets >= 0], targets[targets >= 0], reduction='sum')
    torch.testing.assert_close(trn.loss(logits, targets)['loss_rec'],
                               total / 2)
    trn.loss_normalize = 'token'
    torch.testing.assert_close(trn.loss(logits, targets)['loss_rec'],
                               total / tok_len.sum())


def test_overfit_one_batch():
    trn = _trn()
    seq, lengths = _sequence([4, 6, 3, 5])
    targets, _ = trn.dictionary.encode_words(['Cat', 'hello!', 'ok', '42'])
    optim = torch.optim.Adam(trn.parameters(), lr=1e-2)
    losses = []
    for _ in range(50):
        loss = trn.loss(trn.forward_train(seq, lengths, targets),
                        targets)['loss_rec']
        optim.zero_grad()
        loss.backward()
        optim.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0], losses
    indices, scores = trn.forward_test(seq, lengths, max_len=10)
    assert trn.dictionary.decode_indices(indices) == [
        'cat', 'hello.', 'ok', '42'
    ]
    assert indices.shape[1] == 7  # 'hello.' + END, then stop
    assert torch.all((scores > 0) & (scores <= 1) | (indices == 37))


def test_greedy_stops_at_end():
    trn = _trn()
    seq, lengths = _sequence([2, 4])
    with torch.no_grad():
        trn.classifier.weight.zero_()
        trn.classifier.bias.zero_()
        trn.classifier.bias[trn.end_idx] = 10.
    indices, scores = trn.forward_test(seq, lengths, max_len=20)
    assert indices.shape == (2, 1)
    assert torch.all(indices == trn.end_idx)
    assert torch.all(scores > 0.9)
    # one region ends after 'a' (steps driven by the embedding of 'a')
    with torch.no_grad():
        trn.classifier.bias[trn.end_idx] = 0.
        trn.classifier.bias[10] = 10.  # always 'a'
    indices, scores = trn.forward_test(seq, lengths, max_len=5)
    assert indices.shape == (2, 5)
    assert trn.dictionary.decode_indices(indices) == ['aaaaa'] * 2
    empty_idx, empty_scores = trn.forward_test(seq[:0], lengths[:0])
    assert empty_idx.shape == (0, 0) and empty_scores.shape == (0, 0)


def test_greedy_mixed_end():
    """After a region emits END its later tokens are END with score 0."""
    trn = _trn()
    seq, lengths = _sequence([2, 4])
    # region 0 has large positive features, region 1 negative; make the
    # classifier pick END from the context sign.
    seq[0, :2] = 1.
    seq[1, :4] = -1.
    with torch.no_grad():
        trn.classifier.weight.zero_()
        trn.classifier.bias.zero_()
        trn.classifier.weight[trn.end_idx, 16:] = 10.
        trn.classifier.weight[10, 16:] = -10.
    indices, scores = trn.forward_test(seq, lengths, max_len=4)
    assert indices[0].tolist() == [37] * 4
    assert scores[0, 0] > 0.9 and torch.all(scores[0, 1:] == 0)
    assert indices[1].tolist() == [10] * 4
    assert trn.dictionary.decode_indices(indices) == ['', 'aaaa']
