from .text_pixel_metric import TextPixelMetric, f1_top1_rate, f1_top1_rates
from .text_sequence_metric import TextSequenceMetric

__all__ = [
    'TextPixelMetric', 'f1_top1_rate', 'f1_top1_rates', 'TextSequenceMetric'
]
