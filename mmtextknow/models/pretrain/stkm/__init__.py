# Copyright (c) mmtextknow contributors. All rights reserved.
"""STKM: Self-attention based Text Knowledge Mining (CVPR 2021)."""
from .losses import LabelSmoothedKLLoss

__all__ = ['LabelSmoothedKLLoss']
