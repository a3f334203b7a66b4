"""OTSGStatsHook: sums of the OTSG counters and its log line."""
from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest
from mmengine.logging import MessageHub

from mmocr.registry import HOOKS

import mmtextknow  # noqa: F401
from mmtextknow.engine import OTSGStatsHook
from mmtextknow.structures import TextSequenceDataSample


def _sample(**counters):
    return TextSequenceDataSample(metainfo=counters)


def _runner(iteration):
    return SimpleNamespace(
        iter=iteration,
        logger=MagicMock(),
        message_hub=MessageHub(f'otsg_hook_test_{id(object())}'))


def test_sums_pushes_and_logs():
    hook = HOOKS.build(dict(type='OTSGStatsHook', interval=2))
    assert isinstance(hook, OTSGStatsHook)
    runner = _runner(0)
    batch = dict(data_samples=[
        _sample(otsg_truncated=True, otsg_unknown_chars=2,
                otsg_dropped_chars=0, otsg_truncated_chars=5,
                otsg_truncated_words=1),
        _sample(otsg_truncated=False, otsg_unknown_chars=1,
                otsg_dropped_chars=3, otsg_truncated_chars=0,
                otsg_truncated_words=0),
    ])
    hook.after_train_iter(runner, 0, batch)  # iter 1 of interval 2
    runner.logger.info.assert_not_called()
    assert runner.message_hub.get_scalar('train/otsg_sequences').current() == 2
    assert runner.message_hub.get_scalar('train/otsg_truncated').current() == 1

    runner.iter = 1
    hook.after_train_iter(runner, 1, dict(data_samples=[_sample()]))
    runner.logger.info.assert_called_once_with(
        'OTSG labels: 3 sequences seen, 1 truncated (5 chars, 1 words cut), '
        '3 unknown chars (UNK), 3 dropped chars')
    hub = runner.message_hub
    assert {
        name: hub.get_scalar(f'train/otsg_{name}').current()
        for name in hook.totals
    } == dict(sequences=3, truncated=1, unknown_chars=3, dropped_chars=3,
              truncated_chars=5, truncated_words=1)

    hook.after_train_epoch(runner)
    assert runner.logger.info.call_count == 2


def test_no_batch_and_bad_interval():
    hook = OTSGStatsHook(interval=1)
    runner = _runner(0)
    hook.after_train_iter(runner, 0, None)
    runner.logger.info.assert_called_once()
    assert hook.totals['sequences'] == 0
    with pytest.raises(ValueError):
        OTSGStatsHook(interval=0)
