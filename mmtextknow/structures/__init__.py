from .text_sequence_data_sample import TextSequenceDataSample
from .textseg_data_sample import TextSegDataSample

__all__ = ['TextSegDataSample', 'TextSequenceDataSample']
