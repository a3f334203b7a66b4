from .textseg_data_sample import TextSegDataSample

__all__ = ['TextSegDataSample']
