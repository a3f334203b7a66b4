from .data_preprocessor import TextSegDataPreprocessor

__all__ = ['TextSegDataPreprocessor']
