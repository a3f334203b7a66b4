# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text detection models of mmtextknow (TCM), registered into MMOCR's
``MODELS``."""
from . import tcm  # noqa: F401
from .tcm import *  # noqa: F401,F403
