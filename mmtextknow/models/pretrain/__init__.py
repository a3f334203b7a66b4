# Copyright (c) mmtextknow contributors. All rights reserved.
"""Pre-training methods (STKM), registered into MMOCR's ``MODELS``."""
from . import stkm  # noqa: F401
from .stkm import *  # noqa: F401,F403
