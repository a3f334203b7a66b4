"""Losses of MGNet (TIP 2021): SoftIoU (eq. 1), subset (eq. 3) and dense
CRF (eq. 4)."""
from .crf_loss import DenseCRFLoss, crf_energy, direct_crf_energy
from .soft_iou_loss import (SoftIoULoss, graph_zero, sample_weighted_mean,
                            soft_iou_loss)
from .subset_loss import SubsetLoss, subset_loss

__all__ = [
    'SoftIoULoss', 'SubsetLoss', 'DenseCRFLoss', 'soft_iou_loss',
    'subset_loss', 'crf_energy', 'direct_crf_energy', 'sample_weighted_mean',
    'graph_zero'
]
