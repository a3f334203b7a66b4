from .checked_ocr_dataset import CheckedOCRDataset
from .transforms import LoadTextMasks

__all__ = ['CheckedOCRDataset', 'LoadTextMasks']
