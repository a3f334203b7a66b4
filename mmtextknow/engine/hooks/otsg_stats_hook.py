"""Report the OTSG label-pipeline counters during training."""
from collections import OrderedDict
from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmocr.registry import HOOKS

#: Metainfo key of each counter -> its name in the log and message hub.
OTSG_METAINFO_COUNTERS = OrderedDict(
    otsg_truncated='truncated',
    otsg_unknown_chars='unknown_chars',
    otsg_dropped_chars='dropped_chars',
    otsg_truncated_chars='truncated_chars',
    otsg_truncated_words='truncated_words',
)


@HOOKS.register_module()
class OTSGStatsHook(Hook):
    """Sum and report the counters of ``GenerateOTSGSequence``, so that
    truncated sequences and out-of-dictionary characters are never silent.

    After each training iteration the counters in the metainfo of the
    batch's data samples (``otsg_truncated``, ``otsg_unknown_chars``,
    ``otsg_dropped_chars``, ``otsg_truncated_chars``,
    ``otsg_truncated_words``) are added to running totals, which are
    pushed to the message hub as ``train/otsg_sequences``,
    ``train/otsg_truncated``, ... (they then appear in the training log
    lines). Every ``interval`` iterations and at the end of each epoch one
    summary line is logged with ``runner.logger.info``. The totals count
    from the start of this process (they are not saved in checkpoints).

    Args:
        interval (int): Log the summary line every ``interval`` training
            iterations. Defaults to 50.
    """

    priority = 'NORMAL'  # before LoggerHook (BELOW_NORMAL) reads the hub

    def __init__(self, interval: int = 50) -> None:
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.interval = interval
        self.totals = OrderedDict(sequences=0)
        self.totals.update((name, 0)
                           for name in OTSG_METAINFO_COUNTERS.values())

    def _accumulate(self, data_samples: Sequence) -> None:
        """Add the counters of a batch's data samples to the totals."""
        for sample in data_samples:
            metainfo = getattr(sample, 'metainfo', {})
            self.totals['sequences'] += 1
            for key, name in OTSG_METAINFO_COUNTERS.items():
                self.totals[name] += int(metainfo.get(key, 0))

    def summary(self) -> str:
        """str: The cumulative counters as one log line."""
        return ('OTSG labels: {sequences} sequences seen, {truncated} '
                'truncated ({truncated_chars} chars, {truncated_words} '
                'words cut), {unknown_chars} unknown chars (UNK), '
                '{dropped_chars} dropped chars'.format(**self.totals))

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        """Add the batch's counters; push them; log every ``interval``.

        Args:
            runner (Runner): The runner.
            batch_idx (int): The index of the batch in the epoch.
            data_batch (dict, optional): The batch, with ``data_samples``.
            outputs (dict, optional): The model's outputs (unused).
        """
        if data_batch is not None:
            self._accumulate(data_batch.get('data_samples') or [])
        for name, value in self.totals.items():
            runner.message_hub.update_scalar(f'train/otsg_{name}', value)
        if self.every_n_train_iters(runner, self.interval):
            runner.logger.info(self.summary())

    def after_train_epoch(self, runner) -> None:
        """Log the summary line at the end of each epoch.

        Args:
            runner (Runner): The runner.
        """
        runner.logger.info(self.summary())
