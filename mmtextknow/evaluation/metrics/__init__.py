from .char_set_metric import CharSetMetric
from .deteval_metric import DetEvalMetric, deteval_image
from .e2e_spotting_metric import E2ESpottingMetric
from .text_pixel_metric import TextPixelMetric, f1_top1_rate, f1_top1_rates
from .text_sequence_metric import TextSequenceMetric

__all__ = [
    'TextPixelMetric', 'f1_top1_rate', 'f1_top1_rates', 'TextSequenceMetric',
    'CharSetMetric', 'E2ESpottingMetric', 'DetEvalMetric', 'deteval_image'
]
