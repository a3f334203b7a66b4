# Copyright (c) mmtextknow contributors. All rights reserved.
"""Text detection models of mmtextknow (TCM, EAST), registered into MMOCR's
``MODELS``."""
from . import east  # noqa: F401
from . import tcm  # noqa: F401
from .east import *  # noqa: F401,F403
from .tcm import *  # noqa: F401,F403
