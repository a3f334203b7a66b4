from .checked_ocr_dataset import CheckedOCRDataset
from .dataset_fraction import DatasetFraction
from .transforms import LoadTextMasks

__all__ = ['CheckedOCRDataset', 'DatasetFraction', 'LoadTextMasks']
