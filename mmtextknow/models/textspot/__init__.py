# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text spotting (end-to-end detection + recognition) models of mmtextknow,
registered into MMOCR's ``MODELS``."""
from . import tpn  # noqa: F401
from .tpn import *  # noqa: F401,F403
